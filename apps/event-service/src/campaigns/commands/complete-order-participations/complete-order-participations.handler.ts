import { CommandHandler } from '@nestjs/cqrs';
import type { ICommandHandler } from '@nestjs/cqrs';
import { parseMoney } from '@member-system/contracts';
import { MemberLevelProjection } from '@member-system/shared/service';
import { CAMPAIGN_COLUMNS, campaignViewOf, isWithin } from '../../campaign-rules';
import type { CampaignRow } from '../../campaign-rules';
import { ParticipationCompletion } from '../../participation-completion';
import { CompleteOrderParticipationsCommand } from './complete-order-participations.command';

/**
 * An order of at least a campaign's minimum, completed within its window, completes the member's
 * open participations in the campaigns that complete by orders.
 */
@CommandHandler(CompleteOrderParticipationsCommand)
export class CompleteOrderParticipationsHandler implements ICommandHandler<CompleteOrderParticipationsCommand> {
  constructor(
    private readonly members: MemberLevelProjection,
    private readonly completion: ParticipationCompletion,
  ) {}

  async execute({ manager, order }: CompleteOrderParticipationsCommand): Promise<void> {
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
      await this.completion.complete(
        manager,
        {
          id: String(row.participation_id),
          campaign_id: campaign.id,
          member_id: member.memberId,
          user_id: member.userId,
        },
        order.orderId,
      );
    }
  }
}
