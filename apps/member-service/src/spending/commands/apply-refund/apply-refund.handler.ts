import { CommandHandler } from '@nestjs/cqrs';
import type { ICommandHandler } from '@nestjs/cqrs';
import { parseMoney } from '@member-system/contracts';
import { Clock } from '@member-system/shared/service';
import { LevelChanger } from '../../../levels/level-changer';
import { MemberCache } from '../../../members/member-cache';
import { lockMemberByUserId } from '../../../members/member-locks';
import { ApplyRefundCommand } from './apply-refund.command';

export class OrderNotCreditedYet extends Error {}

/**
 * Takes a completed refund off total spent, once per refund id; partial refunds of one order add
 * up but never past the order's amount. The level then follows the downgrade policy. A refund of
 * an order not credited yet (events out of order) fails so the consumer retries it later.
 */
@CommandHandler(ApplyRefundCommand)
export class ApplyRefundHandler implements ICommandHandler<ApplyRefundCommand> {
  constructor(
    private readonly levels: LevelChanger,
    private readonly clock: Clock,
    private readonly cache: MemberCache,
  ) {}

  async execute(command: ApplyRefundCommand): Promise<{ outcome: 'applied' | 'duplicate' }> {
    const { manager, afterCommit, refund } = command;
    const member = await lockMemberByUserId(manager, refund.userId);
    const [order] = member
      ? await manager.query<Array<{ amount_cents: string; refunded_cents: string }>>(
          'SELECT amount_cents, refunded_cents FROM member_order WHERE order_id = ? AND member_id = ? FOR UPDATE',
          [refund.orderId, member.id],
        )
      : [];
    if (!member || !order) {
      throw new OrderNotCreditedYet(
        `order ${refund.orderId} of user ${refund.userId} is not credited yet`,
      );
    }
    const requested = parseMoney(refund.amount);
    const applied = Math.min(requested, Number(order.amount_cents) - Number(order.refunded_cents));
    const inserted = await manager.query<{ affectedRows: number }>(
      `INSERT IGNORE INTO member_refund (refund_id, order_id, member_id, requested_cents, applied_cents)
       VALUES (?, ?, ?, ?, ?)`,
      [refund.refundId, refund.orderId, member.id, requested, applied],
    );
    afterCommit(() => this.cache.invalidateMembers(member.id));
    if (inserted.affectedRows === 0) return { outcome: 'duplicate' };
    if (applied > 0) {
      await manager.query(
        'UPDATE member_order SET refunded_cents = refunded_cents + ? WHERE order_id = ?',
        [applied, refund.orderId],
      );
      await manager.query(
        'UPDATE member SET total_spent_cents = total_spent_cents - ? WHERE id = ?',
        [applied, member.id],
      );
      member.totalSpentCents -= applied;
      await this.levels.reevaluate(
        command,
        member,
        { kind: 'refund', reason: 'refund', sourceId: refund.refundId },
        this.clock.now(),
      );
    }
    return { outcome: 'applied' };
  }
}
