import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { PointRpc } from '@member-system/contracts';
import type { Actor, BalanceView } from '@member-system/contracts';
import { RpcClient } from '@member-system/shared/messaging';
import { CurrentActor, Roles } from '@member-system/shared/security';
import { commandOf } from '../infra/rpc-command';

@ApiTags('points')
@ApiBearerAuth()
@Roles('member')
@Controller('points')
export class PointsController {
  constructor(private readonly rpc: RpcClient) {}

  @Get('me/balance')
  @ApiOperation({
    summary:
      "The caller's points: available, frozen, pending, held, debt, expiring soon, lifetime totals",
  })
  @ApiResponse({ status: 404, description: 'POINT_ACCOUNT_NOT_FOUND' })
  balance(@CurrentActor() actor: Actor): Promise<BalanceView> {
    return this.rpc.send<BalanceView>('point', PointRpc.getBalance, commandOf(actor, {}));
  }
}
