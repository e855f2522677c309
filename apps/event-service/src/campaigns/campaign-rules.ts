import { MONEY_PATTERN } from '@member-system/contracts';
import type {
  CampaignCompletion,
  CampaignStatus,
  CampaignView,
  SaveCampaignDto,
} from '@member-system/contracts';
import { jsonColumn } from '@member-system/shared/database';
import { ValidationFailedException } from '@member-system/shared/errors';

export interface CampaignRow {
  id: string;
  title: string;
  description: string | null;
  start_at: Date;
  end_at: Date;
  capacity: number | null;
  joined: number;
  min_level_id: number | null;
  exclusive: number;
  repeatable: number;
  completion: unknown;
  reward: unknown;
  status: CampaignStatus;
  created_at: Date;
}

export const CAMPAIGN_COLUMNS =
  'id, title, description, start_at, end_at, capacity, joined, min_level_id, exclusive, repeatable, completion, reward, status, created_at';

/** `"manual"` or `{event: "order.completed.v1", minAmount: "300.00"}`; anything else is a 400. */
export function completionOf(raw: unknown): CampaignCompletion {
  if (raw === 'manual') return 'manual';
  const candidate = raw as { event?: unknown; minAmount?: unknown } | null;
  if (
    typeof candidate === 'object' &&
    candidate !== null &&
    candidate.event === 'order.completed.v1' &&
    typeof candidate.minAmount === 'string' &&
    MONEY_PATTERN.test(candidate.minAmount) &&
    Object.keys(candidate).length === 2
  ) {
    return { event: 'order.completed.v1', minAmount: candidate.minAmount };
  }
  throw new ValidationFailedException({
    completion: ['must be "manual" or {"event": "order.completed.v1", "minAmount": "300.00"}'],
  });
}

/** The columns of a campaign an admin saves, checked beyond what the DTO checks. */
export function columnsOf(campaign: SaveCampaignDto): unknown[] {
  const startAt = new Date(campaign.startAt);
  const endAt = new Date(campaign.endAt);
  if (startAt >= endAt) throw new ValidationFailedException({ endAt: ['must be after startAt'] });
  const reward =
    campaign.reward.points !== undefined
      ? { points: campaign.reward.points }
      : { benefitId: campaign.reward.benefitId };
  if (campaign.reward.points !== undefined && campaign.reward.benefitId !== undefined) {
    throw new ValidationFailedException({ reward: ['must be points or a benefit, not both'] });
  }
  return [
    campaign.title,
    campaign.description ?? null,
    startAt,
    endAt,
    campaign.capacity ?? null,
    campaign.minLevelId ?? null,
    campaign.exclusive ? 1 : 0,
    campaign.repeatable ? 1 : 0,
    JSON.stringify(completionOf(campaign.completion)),
    JSON.stringify(reward),
  ];
}

export function campaignViewOf(row: CampaignRow): CampaignView {
  return {
    id: String(row.id),
    title: row.title,
    description: row.description,
    startAt: row.start_at.toISOString(),
    endAt: row.end_at.toISOString(),
    capacity: row.capacity === null ? null : Number(row.capacity),
    joined: Number(row.joined),
    minLevelId: row.min_level_id === null ? null : Number(row.min_level_id),
    exclusive: Number(row.exclusive) === 1,
    repeatable: Number(row.repeatable) === 1,
    completion: jsonColumn<CampaignCompletion>(row.completion),
    reward: jsonColumn<{ points?: number; benefitId?: string }>(row.reward),
    status: row.status,
    createdAt: row.created_at.toISOString(),
  };
}

/** Whether `now` is within the campaign's window: from its start (inclusive) to its end. */
export function isWithin(campaign: Pick<CampaignView, 'startAt' | 'endAt'>, now: Date): boolean {
  return now >= new Date(campaign.startAt) && now < new Date(campaign.endAt);
}
