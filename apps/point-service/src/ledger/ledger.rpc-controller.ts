import { Controller } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  AdjustPointsDto,
  EarnBatchDto,
  ErrorCode,
  ExpiringQueryDto,
  FreezePointsDto,
  PAGE_LIMIT_DEFAULT,
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
  PointApprovalView,
  PointTransactionView,
  PointsResult,
  RpcCommand,
} from '@member-system/contracts';
import { AppException, validateDto } from '@member-system/shared/errors';
import { subjectOf } from '@member-system/shared/service';
import type { Subject } from '@member-system/shared/service';
import { AdjustPointsCommand } from './commands/adjust-points/adjust-points.command';
import { CheckInCommand } from './commands/check-in/check-in.command';
import { EarnBatchCommand } from './commands/earn-batch/earn-batch.command';
import { FreezePointsCommand } from './commands/freeze-points/freeze-points.command';
import { UnfreezePointsCommand } from './commands/unfreeze-points/unfreeze-points.command';
import { UsePointsCommand } from './commands/use-points/use-points.command';
import { ListExpiringQuery } from './queries/list-expiring/list-expiring.query';
import { ListTransactionsQuery } from './queries/list-transactions/list-transactions.query';

@Controller()
export class LedgerRpcController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly queryBus: QueryBus,
  ) {}

  @MessagePattern(PointRpc.checkIn)
  checkInToday(@Payload() command: RpcCommand<unknown>): Promise<CheckInResult> {
    return this.commandBus.execute(new CheckInCommand(command.actor.userId));
  }

  @MessagePattern(PointRpc.use)
  async use(@Payload() command: RpcCommand<unknown>): Promise<PointsResult> {
    return this.commandBus.execute(
      new UsePointsCommand(command.actor.userId, await validateDto(UsePointsDto, command.data)),
    );
  }

  @MessagePattern(PointRpc.earnBatch)
  async earnBatch(@Payload() command: RpcCommand<unknown>): Promise<EarnBatchResult> {
    if (!command.actor.roles.includes('admin')) {
      throw new AppException(ErrorCode.Forbidden, 'Only admins credit points in batches');
    }
    return this.commandBus.execute(
      new EarnBatchCommand(await validateDto(EarnBatchDto, command.data)),
    );
  }

  @MessagePattern(PointRpc.adjust)
  async adjust(@Payload() command: RpcCommand<unknown>): Promise<PointsResult | PointApprovalView> {
    const { memberId: _member, ...body } = (command.data ?? {}) as Record<string, unknown>;
    const adjustment = await validateDto(AdjustPointsDto, body);
    return this.commandBus.execute(
      new AdjustPointsCommand(subjectOf(command), adjustment, command.actor, requestKeyOf(command)),
    );
  }

  @MessagePattern(PointRpc.freeze)
  async freeze(@Payload() command: RpcCommand<unknown>): Promise<FreezeResult> {
    const [subject, request] = await this.adminFreezeOf(command);
    return this.commandBus.execute(
      new FreezePointsCommand(subject, request, command.actor, requestKeyOf(command)),
    );
  }

  @MessagePattern(PointRpc.unfreeze)
  async unfreeze(@Payload() command: RpcCommand<unknown>): Promise<FreezeResult> {
    const [subject, request] = await this.adminFreezeOf(command);
    return this.commandBus.execute(
      new UnfreezePointsCommand(subject, request, command.actor, requestKeyOf(command)),
    );
  }

  @MessagePattern(PointRpc.expiring)
  async expiring(@Payload() command: RpcCommand<unknown>): Promise<Page<ExpiringLotView>> {
    const { memberId: _member, ...query } = (command.data ?? {}) as Record<string, unknown>;
    const { days, limit, cursor } = await validateDto(ExpiringQueryDto, query);
    return this.queryBus.execute(
      new ListExpiringQuery(subjectOf(command), days ?? 30, limit ?? PAGE_LIMIT_DEFAULT, cursor),
    );
  }

  @MessagePattern(PointRpc.transactions)
  async list(@Payload() command: RpcCommand<unknown>): Promise<Page<PointTransactionView>> {
    const { memberId: _member, ...filters } = (command.data ?? {}) as Record<string, unknown>;
    return this.queryBus.execute(
      new ListTransactionsQuery(
        subjectOf(command),
        await validateDto(TransactionsQueryDto, filters),
      ),
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
