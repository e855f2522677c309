import { Controller } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { PointRpc } from '@member-system/contracts';
import type { BalanceView, RpcCommand } from '@member-system/contracts';
import { subjectOf } from '@member-system/shared/service';
import { GetBalanceQuery } from './queries/get-balance/get-balance.query';

@Controller()
export class AccountsRpcController {
  constructor(private readonly queryBus: QueryBus) {}

  @MessagePattern(PointRpc.getBalance)
  balance(@Payload() command: RpcCommand<unknown>): Promise<BalanceView> {
    return this.queryBus.execute(new GetBalanceQuery(subjectOf(command)));
  }
}
