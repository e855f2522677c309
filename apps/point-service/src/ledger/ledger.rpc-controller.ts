import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  AdjustPointsDto,
  EarnBatchDto,
  ErrorCode,
  ExpiringQueryDto,
  FreezePointsDto,
  PointRpc,
  TransactionsQueryDto,
  UsePointsDto,
} from '@member-system/contracts';
import type {
  CheckInResult,
  EarnBatchResult,
  ExpiringLotView,
  FreezeResult,
  Page,
  PointTransactionView,
  PointsResult,
  RpcCommand,
} from '@member-system/contracts';
import { AppException, validateDto } from '@member-system/shared/errors';
import { subjectOf } from '@member-system/shared/service';
import type { Subject } from '@member-system/shared/service';
import { AdjustPointsHandler } from './commands/adjust-points/adjust-points.handler';
import { AdminFreezesHandler } from './commands/admin-freezes/admin-freezes.handler';
import { CheckInHandler } from './commands/check-in/check-in.handler';
import { EarnBatchHandler } from './commands/earn-batch/earn-batch.handler';
import { UsePointsHandler } from './commands/use-points/use-points.handler';
import { ListExpiringHandler } from './queries/list-expiring/list-expiring.handler';
import { ListTransactionsHandler } from './queries/list-transactions/list-transactions.handler';

@Controller()
export class LedgerRpcController {
  constructor(
    private readonly checkIn: CheckInHandler,
    private readonly usePoints: UsePointsHandler,
    private readonly transactions: ListTransactionsHandler,
    private readonly adjustPoints: AdjustPointsHandler,
    private readonly expiringLots: ListExpiringHandler,
    private readonly earnBatchHandler: EarnBatchHandler,
    private readonly adminFreezes: AdminFreezesHandler,
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

  @MessagePattern(PointRpc.earnBatch)
  async earnBatch(@Payload() command: RpcCommand<unknown>): Promise<EarnBatchResult> {
    if (!command.actor.roles.includes('admin')) {
      throw new AppException(ErrorCode.Forbidden, 'Only admins credit points in batches');
    }
    return this.earnBatchHandler.execute(await validateDto(EarnBatchDto, command.data));
  }

  @MessagePattern(PointRpc.adjust)
  async adjust(@Payload() command: RpcCommand<unknown>): Promise<PointsResult> {
    const { memberId: _member, ...body } = (command.data ?? {}) as Record<string, unknown>;
    const adjustment = await validateDto(AdjustPointsDto, body);
    return this.adjustPoints.execute(
      subjectOf(command),
      adjustment,
      command.actor,
      requestKeyOf(command),
    );
  }

  @MessagePattern(PointRpc.freeze)
  async freeze(@Payload() command: RpcCommand<unknown>): Promise<FreezeResult> {
    const [subject, request] = await this.adminFreezeOf(command);
    return this.adminFreezes.freeze(subject, request, command.actor, requestKeyOf(command));
  }

  @MessagePattern(PointRpc.unfreeze)
  async unfreeze(@Payload() command: RpcCommand<unknown>): Promise<FreezeResult> {
    const [subject, request] = await this.adminFreezeOf(command);
    return this.adminFreezes.unfreeze(subject, request, command.actor, requestKeyOf(command));
  }

  @MessagePattern(PointRpc.expiring)
  async expiring(@Payload() command: RpcCommand<unknown>): Promise<ExpiringLotView[]> {
    const { memberId: _member, ...query } = (command.data ?? {}) as Record<string, unknown>;
    const { days } = await validateDto(ExpiringQueryDto, query);
    return this.expiringLots.of(subjectOf(command), days ?? 30);
  }

  @MessagePattern(PointRpc.transactions)
  async list(@Payload() command: RpcCommand<unknown>): Promise<Page<PointTransactionView>> {
    const { memberId: _member, ...filters } = (command.data ?? {}) as Record<string, unknown>;
    return this.transactions.of(
      subjectOf(command),
      await validateDto(TransactionsQueryDto, filters),
    );
  }

  private async adminFreezeOf(command: RpcCommand<unknown>): Promise<[Subject, FreezePointsDto]> {
    if (!command.actor.roles.includes('admin')) {
      throw new AppException(ErrorCode.Forbidden, 'Only admins freeze and release points');
    }
    const { memberId: _member, ...body } = (command.data ?? {}) as Record<string, unknown>;
    return [subjectOf(command), await validateDto(FreezePointsDto, body)];
  }
}

/** An admin request's key: its Idempotency-Key, else its correlation id (each call counts). */
function requestKeyOf(command: RpcCommand<unknown>): string {
  return command.idempotencyKey ?? command.correlationId;
}
