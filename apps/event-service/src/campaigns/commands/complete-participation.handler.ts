import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { EntityManager } from 'typeorm';
import { ErrorCode, parseMoney } from '@member-system/contracts';
import type { OrderCompletedV1, ParticipationView } from '@member-system/contracts';
import { withTransaction } from '@member-system/shared/database';
import { AppException } from '@member-system/shared/errors';
import { OutboxWriter } from '@member-system/shared/messaging';
import { Clock, MemberLevelProjection } from '@member-system/shared/service';
import { CAMPAIGN_COLUMNS, campaignViewOf, isWithin } from '../campaign-rules';
import type { CampaignRow } from '../campaign-rules';
import { ParticipationQueries } from '../queries/participation-queries';

interface Joined {
  id: string;
  campaign_id: string;
  member_id: string;
  user_id: string;
}

/**
 * Participations complete once: an admin marks one, or an order of at least the campaign's
 * minimum, completed within its window, completes the member's open participations. A repeat
 * (of the call or of the event) finds them completed already and changes nothing.
 */
@Injectable()
export class CompleteParticipationHandler {
  constructor(
    private readonly dataSource: DataSource,
    private readonly members: MemberLevelProjection,
    private readonly participations: ParticipationQueries,
    private readonly outbox: OutboxWriter,
    private readonly clock: Clock,
  ) {}

  /** `POST /admin/participations/{participationId}/complete` */
  async byAdmin(participationId: string): Promise<ParticipationView> {
    await withTransaction(this.dataSource, async (manager) => {
      const [participation] = await manager.query<
        Array<Joined & { status: string; campaign_status: string }>
      >(
        `SELECT p.id, p.campaign_id, p.member_id, p.user_id, p.status, c.status AS campaign_status
           FROM participation p JOIN campaign c ON c.id = p.campaign_id WHERE p.id = ? FOR UPDATE`,
        [participationId],
      );
      if (!participation) {
        throw new AppException(ErrorCode.ParticipationNotFound, 'No such participation', {
          participationId,
        });
      }
      if (participation.status !== 'joined') return;
      if (participation.campaign_status === 'settled') {
        throw new AppException(ErrorCode.CampaignStateConflict, 'The campaign is settled');
      }
      await this.complete(manager, participation);
    });
    return this.participations.one(participationId);
  }

  /** `order.completed.v1`: completes what the order qualifies for. */
  async byOrder(manager: EntityManager, order: OrderCompletedV1): Promise<void> {
    const member = await this.members.of(manager, { userId: order.userId });
    if (!member) return; // not a member: nothing of theirs to complete
    const open = await manager.query<Array<CampaignRow & { participation_id: string }>>(
      `SELECT p.id AS participation_id, ${CAMPAIGN_COLUMNS.split(', ')
        .map((column) => `c.${column}`)
        .join(', ')}
         FROM participation p JOIN campaign c ON c.id = p.campaign_id
        WHERE p.member_id = ? AND p.status = 'joined' AND c.status IN ('published', 'closed')
        FOR UPDATE`,
      [member.memberId],
    );
    const completedAt = new Date(order.completedAt);
    const amount = parseMoney(order.amount);
    for (const row of open) {
      const campaign = campaignViewOf(row);
      const completion = campaign.completion;
      if (completion === 'manual' || completion.event !== 'order.completed.v1') continue;
      if (amount < parseMoney(completion.minAmount) || !isWithin(campaign, completedAt)) continue;
      const participationId = String(row.participation_id);
      await this.complete(
        manager,
        {
          id: participationId,
          campaign_id: campaign.id,
          member_id: member.memberId,
          user_id: member.userId,
        },
        order.orderId,
      );
    }
  }

  private async complete(
    manager: EntityManager,
    participation: Joined,
    orderId?: string,
  ): Promise<void> {
    const updated = await manager.query<{ affectedRows: number }>(
      "UPDATE participation SET status = 'completed', completed_at = ?, order_id = ? WHERE id = ? AND status = 'joined'",
      [this.clock.now(), orderId ?? null, participation.id],
    );
    if (updated.affectedRows !== 1) return;
    await this.outbox.add(manager, 'campaign.completed.v1', {
      campaignId: String(participation.campaign_id),
      participationId: String(participation.id),
      memberId: String(participation.member_id),
      userId: String(participation.user_id),
      ...(orderId ? { orderId } : {}),
    });
  }
}
