import { Controller } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { PointRpc, ReserveHoldDto } from '@member-system/contracts';
import type { HoldView, PointsResult, RpcCommand } from '@member-system/contracts';
import { validateDto } from '@member-system/shared/errors';
import { dataOf, idOf, subjectOf } from '@member-system/shared/service';
import { CaptureHoldCommand } from './commands/capture-hold/capture-hold.command';
import { ReleaseHoldCommand } from './commands/release-hold/release-hold.command';
import { ReserveHoldCommand } from './commands/reserve-hold/reserve-hold.command';

/** Holds for checkout: a member's own, or any member's for a service token naming them. */
@Controller()
export class HoldsRpcController {
  constructor(private readonly commandBus: CommandBus) {}

  @MessagePattern(PointRpc.reserveHold)
  async reserve(@Payload() command: RpcCommand<unknown>): Promise<HoldView> {
    const { memberId: _member, ...hold } = dataOf(command);
    return this.commandBus.execute(
      new ReserveHoldCommand(subjectOf(command), await validateDto(ReserveHoldDto, hold)),
    );
  }

  @MessagePattern(PointRpc.captureHold)
  async capture(@Payload() command: RpcCommand<unknown>): Promise<PointsResult> {
    return this.commandBus.execute(
      new CaptureHoldCommand(subjectOf(command), await idOf(dataOf(command).holdId)),
    );
  }

  @MessagePattern(PointRpc.releaseHold)
  async release(@Payload() command: RpcCommand<unknown>): Promise<HoldView> {
    return this.commandBus.execute(
      new ReleaseHoldCommand(subjectOf(command), await idOf(dataOf(command).holdId)),
    );
  }
}
