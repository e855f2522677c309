import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { IdParam, PointRpc, ReserveHoldDto } from '@member-system/contracts';
import type { HoldCommand, HoldView, PointsResult, RpcCommand } from '@member-system/contracts';
import { validateDto } from '@member-system/shared/errors';
import { HoldsHandler } from './commands/holds/holds.handler';

@Controller()
export class HoldsRpcController {
  constructor(private readonly holds: HoldsHandler) {}

  @MessagePattern(PointRpc.reserveHold)
  async reserve(@Payload() command: RpcCommand<unknown>): Promise<HoldView> {
    return this.holds.reserve(
      command.actor.userId,
      await validateDto(ReserveHoldDto, command.data),
    );
  }

  @MessagePattern(PointRpc.captureHold)
  async capture(@Payload() command: RpcCommand<HoldCommand>): Promise<PointsResult> {
    const { id } = await validateDto(IdParam, { id: command.data.holdId });
    return this.holds.capture(command.actor.userId, id);
  }

  @MessagePattern(PointRpc.releaseHold)
  async release(@Payload() command: RpcCommand<HoldCommand>): Promise<HoldView> {
    const { id } = await validateDto(IdParam, { id: command.data.holdId });
    return this.holds.release(command.actor.userId, id);
  }
}
