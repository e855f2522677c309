import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsDefined,
  IsInt,
  IsNumberString,
  IsOptional,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { IsPlatformId } from '../common/platform-id';

// Published by event-service (member campaigns) on `member-system.events`.

export class CampaignJoinedV1 {
  @IsNumberString({ no_symbols: true })
  campaignId!: string;

  @IsNumberString({ no_symbols: true })
  participationId!: string;

  @IsNumberString({ no_symbols: true })
  memberId!: string;

  @IsNumberString({ no_symbols: true })
  userId!: string;
}

export class CampaignCompletedV1 {
  @IsNumberString({ no_symbols: true })
  campaignId!: string;

  @IsNumberString({ no_symbols: true })
  participationId!: string;

  @IsNumberString({ no_symbols: true })
  memberId!: string;

  @IsNumberString({ no_symbols: true })
  userId!: string;

  /** The order that completed it, for campaigns completed by `order.completed.v1`; absent if manual. */
  @IsOptional()
  @IsPlatformId()
  orderId?: string;
}

/** A campaign's reward: points, a benefit, or both; at least one is present. */
export class CampaignRewardV1 {
  @ApiPropertyOptional({ example: 50, minimum: 1, description: 'Points credited once' })
  @ValidateIf(
    (reward: CampaignRewardV1) => reward.points !== undefined || reward.benefitId === undefined,
  )
  @IsInt()
  @Min(1)
  points?: number;

  @ApiPropertyOptional({
    example: '12',
    description: 'One use of this benefit, whatever the level',
  })
  @ValidateIf(
    (reward: CampaignRewardV1) => reward.benefitId !== undefined || reward.points === undefined,
  )
  @IsNumberString({ no_symbols: true })
  benefitId?: string;
}

/** point-service grants `reward.points` once per participation (source `campaign`). */
export class CampaignRewardGrantedV1 {
  @IsNumberString({ no_symbols: true })
  campaignId!: string;

  @IsNumberString({ no_symbols: true })
  participationId!: string;

  @IsNumberString({ no_symbols: true })
  memberId!: string;

  @IsNumberString({ no_symbols: true })
  userId!: string;

  @IsDefined()
  @ValidateNested()
  @Type(() => CampaignRewardV1)
  reward!: CampaignRewardV1;
}
