import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { formatCents, parseMoney } from '@member-system/contracts';
import type { OrderCompletedV1 } from '@member-system/contracts';
import { OutboxWriter } from '@member-system/shared/messaging';
import { LevelChanger } from '../../../levels/level-changer';
import { RegisterMemberHandler } from '../../../members/commands/register-member/register-member.handler';
import type { Member } from '../../../members/entities/member.entity';
import { lockMemberByUserId } from '../../../members/member-locks';

/**
 * Counts a completed order towards the member's total spent, once per order id, then recomputes
 * the level and announces `member.order-credited.v1` with the level before and after, from which
 * point-service earns at the level the member held when ordering. The member row lock orders
 * concurrent orders of one member; a user unknown so far becomes a member.
 */
@Injectable()
export class CreditOrderHandler {
  constructor(
    private readonly levels: LevelChanger,
    private readonly registerMember: RegisterMemberHandler,
    private readonly outbox: OutboxWriter,
  ) {}

  async executeIn(
    manager: EntityManager,
    order: OrderCompletedV1,
    asOf: Date,
  ): Promise<{ outcome: 'credited' | 'duplicate'; memberId: string }> {
    const member = await this.lockOrRegister(manager, order.userId);
    const amountCents = parseMoney(order.amount);
    const inserted = await manager.query<{ affectedRows: number }>(
      `INSERT IGNORE INTO member_order
         (order_id, member_id, amount_cents, level_before_id, level_after_id, completed_at)
       VALUES (?, ?, ?, ?, ?, ?)`,
      [
        order.orderId,
        member.id,
        amountCents,
        member.levelId,
        member.levelId,
        new Date(order.completedAt),
      ],
    );
    if (inserted.affectedRows === 0) return { outcome: 'duplicate', memberId: member.id };

    const levelBefore = member.levelId;
    await manager.query(
      'UPDATE member SET total_spent_cents = total_spent_cents + ? WHERE id = ?',
      [amountCents, member.id],
    );
    member.totalSpentCents += amountCents;
    const levelAfter = await this.levels.reevaluate(
      manager,
      member,
      { kind: 'spend', reason: 'spend', sourceId: order.orderId },
      asOf,
    );
    if (levelAfter !== levelBefore) {
      await manager.query('UPDATE member_order SET level_after_id = ? WHERE order_id = ?', [
        levelAfter,
        order.orderId,
      ]);
    }
    await this.outbox.add(manager, 'member.order-credited.v1', {
      orderId: order.orderId,
      memberId: member.id,
      userId: member.userId,
      amount: formatCents(amountCents),
      levelBefore,
      levelAfter,
      completedAt: order.completedAt,
    });
    return { outcome: 'credited', memberId: member.id };
  }

  private async lockOrRegister(manager: EntityManager, userId: string): Promise<Member> {
    const existing = await lockMemberByUserId(manager, userId);
    if (existing) return existing;
    await this.registerMember.registerIn(manager, userId, {}, 'platform');
    const member = await lockMemberByUserId(manager, userId);
    if (!member) throw new Error(`member for user ${userId} vanished during registration`);
    return member;
  }
}
