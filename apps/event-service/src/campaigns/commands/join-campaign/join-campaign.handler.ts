import { CommandHandler } from '@nestjs/cqrs';
import type { ICommandHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { ErrorCode } from '@member-system/contracts';
import type { JoinResult } from '@member-system/contracts';
import { withTransaction } from '@member-system/shared/database';
import { AppException } from '@member-system/shared/errors';
import { OutboxWriter } from '@member-system/shared/messaging';
import { Clock, MemberLevelProjection } from '@member-system/shared/service';
import { CampaignCatalog } from '../../campaign-catalog';
import { CampaignEligibility } from '../../campaign-eligibility';
import { isWithin } from '../../campaign-rules';
import { JoinCampaignCommand } from './join-campaign.command';

/**
 * `POST /campaigns/{campaignId}/join`. Joins take turns on the campaign's row, so capacity is
 * never exceeded and a member never joins twice (a repeatable campaign takes them again once
 * their participation is rewarded).
 */
@CommandHandler(JoinCampaignCommand)
export class JoinCampaignHandler implements ICommandHandler<JoinCampaignCommand> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly catalog: CampaignCatalog,
    private readonly eligibility: CampaignEligibility,
    private readonly members: MemberLevelProjection,
    private readonly outbox: OutboxWriter,
    private readonly clock: Clock,
  ) {}

  async execute({ userId, campaignId }: JoinCampaignCommand): Promise<JoinResult> {
    // Before the transaction: a member who registered a moment ago may be unknown here still, and
    // asking member-service must not hold a connection and a transaction open meanwhile.
    const member = await this.members.find(this.dataSource.manager, { userId });
    if (!member) throw new AppException(ErrorCode.MemberNotFound, 'Register as a member first');
    return withTransaction(this.dataSource, async (manager) => {
      const campaign = await this.catalog.lock(manager, campaignId);
      const now = this.clock.now();
      if (campaign.status !== 'published' || !isWithin(campaign, now)) {
        throw new AppException(ErrorCode.CampaignNotOpen, 'The campaign is not open for joining', {
          status: campaign.status,
          startAt: campaign.startAt,
          endAt: campaign.endAt,
        });
      }
      const whyNot = await this.eligibility.whyNot(manager, campaign, member);
      if (whyNot) {
        throw new AppException(
          ErrorCode.CampaignNotEligible,
          'You cannot join this campaign',
          whyNot,
        );
      }
      const [latest] = await manager.query<Array<{ round: number; status: string }>>(
        'SELECT round, status FROM participation WHERE campaign_id = ? AND member_id = ? ORDER BY round DESC LIMIT 1',
        [campaignId, member.memberId],
      );
      if (latest && !(campaign.repeatable && latest.status === 'rewarded')) {
        throw new AppException(ErrorCode.AlreadyJoined, 'You have joined this campaign', {
          status: latest.status,
        });
      }
      if (campaign.capacity !== null && campaign.joined >= campaign.capacity) {
        throw new AppException(ErrorCode.CampaignFull, 'The campaign is full', {
          capacity: campaign.capacity,
        });
      }
      const inserted = await manager.query<{ insertId: number }>(
        `INSERT INTO participation (campaign_id, member_id, user_id, round, status, joined_at)
         VALUES (?, ?, ?, ?, 'joined', ?)`,
        [campaignId, member.memberId, member.userId, (latest ? Number(latest.round) : 0) + 1, now],
      );
      await manager.query('UPDATE campaign SET joined = joined + 1 WHERE id = ?', [campaignId]);
      const participationId = String(inserted.insertId);
      await this.outbox.add(manager, 'campaign.joined.v1', {
        campaignId,
        participationId,
        memberId: member.memberId,
        userId: member.userId,
      });
      return { participationId, status: 'joined' as const };
    });
  }
}
