import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { PointRpc } from '@member-system/contracts';
import type { BalanceView, RpcCommand } from '@member-system/contracts';
import { subjectOf } from '@member-system/shared/service';
import { GetBalanceHandler } from './queries/get-balance/get-balance.handler';

@Controller()
export class AccountsRpcController {
  constructor(private readonly getBalance: GetBalanceHandler) {}

  @MessagePattern(PointRpc.getBalance)
  balance(@Payload() command: RpcCommand<unknown>): Promise<BalanceView> {
    return this.getBalance.of(subjectOf(command));
  }
}
