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

/** `completion` in the OpenAPI document: `"manual"` or the order event with its minimum. */
const COMPLETION_SCHEMA = {
  oneOf: [
    { type: 'string', enum: ['manual'] },
    {
      type: 'object',
      required: ['event', 'minAmount'],
      properties: {
        event: { type: 'string', enum: ['order.completed.v1'] },
        minAmount: { type: 'string', example: '300.00' },
      },
    },
  ],
  example: { event: 'order.completed.v1', minAmount: '300.00' },
};

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

  @ApiProperty(COMPLETION_SCHEMA)
  @IsDefined()
  completion!: unknown;

  @ApiProperty({ example: { points: 50 } })
  @IsDefined()
  @ValidateNested()
  @Type(() => CampaignRewardV1)
  reward!: CampaignRewardV1;
}

export class CampaignView {
  @ApiProperty({ example: '5' })
  id!: string;

  @ApiProperty({ example: 'Spend 300, get 50' })
  title!: string;

  @ApiProperty({ type: String, nullable: true, example: null })
  description!: string | null;

  @ApiProperty({ example: '2026-11-01T00:00:00.000Z' })
  startAt!: string;

  @ApiProperty({ example: '2026-11-12T00:00:00.000Z' })
  endAt!: string;

  @ApiProperty({ type: Number, nullable: true, example: 100 })
  capacity!: number | null;

  @ApiProperty({ example: 37, description: 'Participations so far' })
  joined!: number;

  @ApiProperty({ type: Number, nullable: true, example: 2 })
  minLevelId!: number | null;

  @ApiProperty({ example: false })
  exclusive!: boolean;

  @ApiProperty({ example: false })
  repeatable!: boolean;

  @ApiProperty(COMPLETION_SCHEMA)
  completion!: CampaignCompletion;

  @ApiProperty({
    type: 'object',
    properties: { points: { type: 'integer' }, benefitId: { type: 'string' } },
    example: { points: 50 },
  })
  reward!: { points?: number; benefitId?: string };

  @ApiProperty({ enum: CAMPAIGN_STATUSES })
  status!: CampaignStatus;

  @ApiProperty({ example: '2026-10-20T08:00:00.000Z' })
  createdAt!: string;
}

/** One page of campaigns: the admin's list, or those open to a member. */
export class CampaignPage {
  @ApiProperty({ type: [CampaignView] })
  items!: CampaignView[];

  @ApiProperty({ type: String, nullable: true, example: null })
  nextCursor!: string | null;
}

export class CampaignsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: CAMPAIGN_STATUSES })
  @IsOptional()
  @IsIn(CAMPAIGN_STATUSES)
  status?: CampaignStatus;
}

export class ParticipationView {
  @ApiProperty({ example: '901' })
  participationId!: string;

  @ApiProperty({ example: '5' })
  campaignId!: string;

  @ApiProperty({ example: 'Spend 300, get 50' })
  campaignTitle!: string;

  @ApiProperty({ enum: PARTICIPATION_STATUSES })
  status!: ParticipationStatus;

  @ApiProperty({ example: '2026-11-03T10:00:00.000Z' })
  joinedAt!: string;

  @ApiProperty({ type: String, nullable: true, example: null })
  completedAt!: string | null;

  @ApiProperty({ type: String, nullable: true, example: null })
  rewardedAt!: string | null;
}

/** One page of a member's participations, newest first. */
export class ParticipationPage {
  @ApiProperty({ type: [ParticipationView] })
  items!: ParticipationView[];

  @ApiProperty({ type: String, nullable: true, example: null })
  nextCursor!: string | null;
}

export class JoinResult {
  @ApiProperty({ example: '901' })
  participationId!: string;

  @ApiProperty({ enum: PARTICIPATION_STATUSES, example: 'joined' })
  status!: ParticipationStatus;
}

/** What one run of `distribute-rewards` did, and where the campaign stands. */
export class DistributionTotals {
  @ApiProperty({ example: 100 })
  participants!: number;

  @ApiProperty({ example: 80 })
  completed!: number;

  @ApiProperty({ example: 80 })
  rewarded!: number;

  @ApiProperty({ example: 0, description: 'Completed and not rewarded yet' })
  pending!: number;
}

export class DistributionResult {
  @ApiProperty({ example: '5' })
  campaignId!: string;

  @ApiProperty({ example: 80, description: 'Rewards granted by this run' })
  rewarded!: number;

  @ApiProperty({ example: 1 })
  batches!: number;

  @ApiProperty({ type: DistributionTotals, description: "Over the campaign's life" })
  totals!: DistributionTotals;

  @ApiProperty({ enum: CAMPAIGN_STATUSES })
  status!: CampaignStatus;
}
