import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { OutboxWriter } from '@member-system/shared/messaging';
import { Clock } from '@member-system/shared/service';

/** The participation's row, as far as completing it needs. */
export interface JoinedParticipation {
  id: string;
  campaign_id: string;
  member_id: string;
  user_id: string;
}

/**
 * Participations complete once, by an admin or by a qualifying order: a repeat (of the call or of
 * the event) finds them completed already and changes nothing.
 */
@Injectable()
export class ParticipationCompletion {
  constructor(
    private readonly outbox: OutboxWriter,
    private readonly clock: Clock,
  ) {}

  /** Completes a joined participation and announces `campaign.completed.v1`, in `manager`. */
  async complete(
    manager: EntityManager,
    participation: JoinedParticipation,
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
