import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsDefined,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Length,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { CampaignRewardV1 } from '../events/campaign.events';
import { PageQueryDto } from '../common/page';

export const CAMPAIGN_STATUSES = ['draft', 'published', 'closed', 'settled'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

export const PARTICIPATION_STATUSES = ['joined', 'completed', 'rewarded'] as const;
export type ParticipationStatus = (typeof PARTICIPATION_STATUSES)[number];

/** How a participation completes: an admin marks it, or an order of at least `minAmount` in the window. */
export type CampaignCompletion = 'manual' | { event: 'order.completed.v1'; minAmount: string };

/**
 * `POST /admin/campaigns` and `PUT /admin/campaigns/{campaignId}` (drafts only). `completion` is
 * `"manual"` or `{"event": "order.completed.v1", "minAmount": "300.00"}` (checked by the service);
 * `reward` is `{"points": 50}` or `{"benefitId": "12"}`.
 */
export class SaveCampaignDto {
  @ApiProperty({ example: 'Double 11 shopping challenge' })
  @IsString()
  @Length(1, 100)
  title!: string;

  @ApiPropertyOptional({ example: 'Spend 300.00 in one order during the event' })
  @IsOptional()
  @IsString()
  @Length(0, 2000)
  description?: string;

  @ApiProperty({ example: '2026-11-01T00:00:00Z' })
  @IsISO8601({ strict: true })
  startAt!: string;

  @ApiProperty({ example: '2026-11-12T00:00:00Z' })
  @IsISO8601({ strict: true })
  endAt!: string;

  @ApiPropertyOptional({ example: 100, description: 'Most members who can join; none: no limit' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10_000_000)
  capacity?: number;

  @ApiPropertyOptional({ example: 2, description: 'Lowest level that may join' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1000)
  minLevelId?: number;

  @ApiPropertyOptional({
    description: 'Only members whose level holds the EXCLUSIVE_EVENT benefit',
  })
  @IsOptional()
  @IsBoolean()
  exclusive?: boolean;

  @ApiPropertyOptional({
    description: 'A member may join again once their participation is rewarded',
  })
  @IsOptional()
  @IsBoolean()
  repeatable?: boolean;

  @ApiProperty({ example: { event: 'order.completed.v1', minAmount: '300.00' } })
  @IsDefined()
  completion!: unknown;

  @ApiProperty({ example: { points: 50 } })
  @IsDefined()
  @ValidateNested()
  @Type(() => CampaignRewardV1)
  reward!: CampaignRewardV1;
}

export interface CampaignView {
  id: string;
  title: string;
  description: string | null;
  startAt: string;
  endAt: string;
  capacity: number | null;
  joined: number;
  minLevelId: number | null;
  exclusive: boolean;
  repeatable: boolean;
  completion: CampaignCompletion;
  reward: { points?: number; benefitId?: string };
  status: CampaignStatus;
  createdAt: string;
}

export class CampaignsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: CAMPAIGN_STATUSES })
  @IsOptional()
  @IsIn(CAMPAIGN_STATUSES)
  status?: CampaignStatus;
}

export interface ParticipationView {
  participationId: string;
  campaignId: string;
  campaignTitle: string;
  status: ParticipationStatus;
  joinedAt: string;
  completedAt: string | null;
  rewardedAt: string | null;
}

export interface JoinResult {
  participationId: string;
  status: ParticipationStatus;
}

/** What one run of `distribute-rewards` did, and where the campaign stands. */
export interface DistributionResult {
  campaignId: string;
  /** Rewards granted by this run. */
  rewarded: number;
  batches: number;
  /** Over the campaign's life. */
  totals: { participants: number; completed: number; rewarded: number; pending: number };
  status: CampaignStatus;
}
