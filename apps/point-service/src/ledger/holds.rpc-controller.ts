import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { PointRpc, ReserveHoldDto } from '@member-system/contracts';
import type { HoldView, PointsResult, RpcCommand } from '@member-system/contracts';
import { validateDto } from '@member-system/shared/errors';
import { dataOf, idOf, subjectOf } from '@member-system/shared/service';
import { HoldsHandler } from './commands/holds/holds.handler';

/** Holds for checkout: a member's own, or any member's for a service token naming them. */
@Controller()
export class HoldsRpcController {
  constructor(private readonly holds: HoldsHandler) {}

  @MessagePattern(PointRpc.reserveHold)
  async reserve(@Payload() command: RpcCommand<unknown>): Promise<HoldView> {
    const { memberId: _member, ...hold } = dataOf(command);
    return this.holds.reserve(subjectOf(command), await validateDto(ReserveHoldDto, hold));
  }

  @MessagePattern(PointRpc.captureHold)
  async capture(@Payload() command: RpcCommand<unknown>): Promise<PointsResult> {
    return this.holds.capture(subjectOf(command), await idOf(dataOf(command).holdId));
  }

  @MessagePattern(PointRpc.releaseHold)
  async release(@Payload() command: RpcCommand<unknown>): Promise<HoldView> {
    return this.holds.release(subjectOf(command), await idOf(dataOf(command).holdId));
  }
}
