import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { PointRpc, TransactionsQueryDto, UsePointsDto } from '@member-system/contracts';
import type {
  CheckInResult,
  Page,
  PointTransactionView,
  PointsResult,
  RpcCommand,
} from '@member-system/contracts';
import { validateDto } from '@member-system/shared/errors';
import { CheckInHandler } from './commands/check-in/check-in.handler';
import { UsePointsHandler } from './commands/use-points/use-points.handler';
import { ListTransactionsHandler } from './queries/list-transactions/list-transactions.handler';

@Controller()
export class LedgerRpcController {
  constructor(
    private readonly checkIn: CheckInHandler,
    private readonly usePoints: UsePointsHandler,
    private readonly transactions: ListTransactionsHandler,
  ) {}

  @MessagePattern(PointRpc.checkIn)
  checkInToday(@Payload() command: RpcCommand<unknown>): Promise<CheckInResult> {
    return this.checkIn.execute(command.actor.userId);
  }

  @MessagePattern(PointRpc.use)
  async use(@Payload() command: RpcCommand<unknown>): Promise<PointsResult> {
    return this.usePoints.execute(
      command.actor.userId,
      await validateDto(UsePointsDto, command.data),
    );
  }

  @MessagePattern(PointRpc.transactions)
  async list(@Payload() command: RpcCommand<unknown>): Promise<Page<PointTransactionView>> {
    return this.transactions.byUserId(
      command.actor.userId,
      await validateDto(TransactionsQueryDto, command.data),
    );
  }
}
