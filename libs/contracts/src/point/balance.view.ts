import { ApiProperty } from '@nestjs/swagger';

export class ExpiringSoonView {
  @ApiProperty({ example: 120, description: 'Points that expire before `before`' })
  points!: number;

  @ApiProperty({ example: '2026-12-25T15:59:59.999Z' })
  before!: string;
}

/** `GET /points/me/balance` (docs/api/contract.md). Points are integers. */
export class BalanceView {
  @ApiProperty({ example: 1320, description: 'What the member can spend now' })
  available!: number;

  @ApiProperty({ example: 0, description: 'Frozen by a refund or an admin' })
  frozen!: number;

  @ApiProperty({ example: 0, description: 'Earned but not yet available' })
  pending!: number;

  @ApiProperty({ example: 0, description: 'Reserved by checkout holds' })
  held!: number;

  @ApiProperty({
    example: 0,
    description: 'Reversed points already spent; later credits pay it first',
  })
  debt!: number;

  @ApiProperty({ type: ExpiringSoonView })
  expiringSoon!: ExpiringSoonView;

  @ApiProperty({ example: 1320 })
  lifetimeEarned!: number;

  @ApiProperty({ example: 0 })
  lifetimeUsed!: number;

  @ApiProperty({ example: 0 })
  lifetimeExpired!: number;
}
