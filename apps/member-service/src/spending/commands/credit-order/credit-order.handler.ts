import { CommandHandler, EventBus } from '@nestjs/cqrs';
import type { ICommandHandler } from '@nestjs/cqrs';
import type { EntityManager } from 'typeorm';
import { formatCents, parseMoney } from '@member-system/contracts';
import type { OrderCompletedV1 } from '@member-system/contracts';
import { queryTogether, rowsOf, statement, writeOf } from '@member-system/shared/database';
import type { Statement } from '@member-system/shared/database';
import { OutboxWriter } from '@member-system/shared/messaging';
import { Clock } from '@member-system/shared/service';
import type { UnitOfWork } from '../../../database/unit-of-work';
import { LevelChanger } from '../../../levels/level-changer';
import type { LevelLadder } from '../../../levels/level-ladder';
import { MemberRegisteredEvent } from '../../../members/events/member-registered.event';
import { MemberCache } from '../../../members/member-cache';
import { lockMemberByUserIdStatement, lockedMemberOf } from '../../../members/member-locks';
import type { LockedMember } from '../../../members/member-locks';
import { MemberRegistrar } from '../../../members/member-registrar';
import { CreditOrderCommand } from './credit-order.command';

interface LockedOrder {
  member: LockedMember;
  /** False when the order was counted already. */
  counted: boolean;
  ladder: LevelLadder;
}

/**
 * Counts a completed order towards the member's total spent, once per order id, then recomputes
 * the level and announces `member.order-credited.v1` with the level before and after, from which
 * point-service earns at the level the member held when ordering. The member row lock orders
 * concurrent orders of one member; a user unknown so far becomes a member. The members touched
 * are read again from the database once the transaction committed.
 *
 * One order: two round trips (`queryTogether`): lock the member, claim the order and read the
 * ladder; then the spend, the level change if any, and the event.
 */
@CommandHandler(CreditOrderCommand)
export class CreditOrderHandler implements ICommandHandler<CreditOrderCommand> {
  constructor(
    private readonly levels: LevelChanger,
    private readonly registrar: MemberRegistrar,
    private readonly outbox: OutboxWriter,
    private readonly clock: Clock,
    private readonly cache: MemberCache,
    private readonly eventBus: EventBus,
  ) {}

  async execute(command: CreditOrderCommand): Promise<void> {
    const memberIds = await this.creditAll(command, command.orders, this.clock.now());
    command.afterCommit(() => this.cache.invalidateMembers(...memberIds));
  }

  /** One order; returns the member it was counted for (or had been already). */
  private async creditOne(unit: UnitOfWork, order: OrderCompletedV1, asOf: Date): Promise<string> {
    const { manager } = unit;
    const amountCents = parseMoney(order.amount);
    const { member, counted, ladder } = await this.lockOrRegister(unit, order, amountCents);
    if (!counted) return member.id;

    const levelBefore = member.levelId;
    member.totalSpentCents += amountCents;
    const target = await this.levels.targetLevel(manager, member, ladder, asOf);
    const statements = [
      statement('UPDATE member SET total_spent_cents = total_spent_cents + ? WHERE id = ?', [
        amountCents,
        member.id,
      ]),
      ...this.levels.changeStatements(unit, member, target, {
        kind: 'spend',
        reason: 'spend',
        sourceId: order.orderId,
      }),
    ];
    const levelAfter = member.levelId;
    if (levelAfter !== levelBefore) {
      statements.push(
        statement('UPDATE member_order SET level_after_id = ? WHERE order_id = ?', [
          levelAfter,
          order.orderId,
        ]),
      );
    }
    statements.push(this.creditedStatement(manager, order, member, amountCents, levelBefore));
    await queryTogether(manager, statements);
    return member.id;
  }

  /**
   * `creditOne` for the orders of a batch of events, in their order, in two round trips for the
   * whole batch: lock every member (in id order) with the ladder and the orders counted already;
   * then each order's row, the members' spends, level changes and events. Orders whose user is no
   * member yet, or a level rule that reads orders, take `creditOne` one order at a time. Returns
   * the members touched.
   */
  private async creditAll(
    unit: UnitOfWork,
    orders: readonly OrderCompletedV1[],
    asOf: Date,
  ): Promise<string[]> {
    if (orders.length === 1 || !this.levels.decidesFromTotalAlone) {
      return this.oneByOne(unit, orders, asOf);
    }
    const { manager } = unit;
    const userIds = [...new Set(orders.map((order) => order.userId))];
    const [locked, counted, rungs] = await queryTogether(manager, [
      statement(
        `SELECT id, user_id, level_id, manual_level_id, level_version, total_spent_cents
           FROM member WHERE user_id IN (?) ORDER BY id FOR UPDATE`,
        [userIds],
      ),
      statement('SELECT order_id FROM member_order WHERE order_id IN (?)', [
        orders.map((order) => order.orderId),
      ]),
      this.levels.ladderStatement(),
    ]);
    const members = new Map(
      rowsOf<unknown>(locked).map((row) => {
        const member = lockedMemberOf([row]) as LockedMember;
        return [member.userId, member];
      }),
    );
    if (members.size < userIds.length) return this.oneByOne(unit, orders, asOf);
    const ladder = this.levels.ladderOf(rungs);
    const seen = new Set(rowsOf<{ order_id: string }>(counted).map((row) => String(row.order_id)));
    const statements: Statement[] = [];
    const spent = new Map<string, number>();
    for (const order of orders) {
      if (seen.has(order.orderId)) continue;
      seen.add(order.orderId);
      const member = members.get(order.userId) as LockedMember;
      const amountCents = parseMoney(order.amount);
      const levelBefore = member.levelId;
      member.totalSpentCents += amountCents;
      spent.set(member.id, (spent.get(member.id) ?? 0) + amountCents);
      const target = await this.levels.targetLevel(manager, member, ladder, asOf);
      statements.push(
        ...this.levels.changeStatements(unit, member, target, {
          kind: 'spend',
          reason: 'spend',
          sourceId: order.orderId,
        }),
        statement(
          `INSERT INTO member_order
             (order_id, member_id, amount_cents, level_before_id, level_after_id, completed_at)
           VALUES (?, ?, ?, ?, ?, ?)`,
          [
            order.orderId,
            member.id,
            amountCents,
            levelBefore,
            member.levelId,
            new Date(order.completedAt),
          ],
        ),
        this.creditedStatement(manager, order, member, amountCents, levelBefore),
      );
    }
    for (const [memberId, cents] of spent) {
      statements.push(
        statement('UPDATE member SET total_spent_cents = total_spent_cents + ? WHERE id = ?', [
          cents,
          memberId,
        ]),
      );
    }
    // A plain INSERT of each order: one that another batch counted meanwhile fails this batch,
    // which is then handled again one event at a time.
    await queryTogether(manager, statements);
    return [...spent.keys()];
  }

  /** `member.order-credited.v1` for an order counted for `member`, now at its level after. */
  private creditedStatement(
    manager: EntityManager,
    order: OrderCompletedV1,
    member: LockedMember,
    amountCents: number,
    levelBefore: number,
  ): Statement {
    return this.outbox.statement(manager, 'member.order-credited.v1', {
      orderId: order.orderId,
      memberId: member.id,
      userId: member.userId,
      amount: formatCents(amountCents),
      levelBefore,
      levelAfter: member.levelId,
      completedAt: order.completedAt,
    });
  }

  private async oneByOne(
    unit: UnitOfWork,
    orders: readonly OrderCompletedV1[],
    asOf: Date,
  ): Promise<string[]> {
    const memberIds = new Set<string>();
    for (const order of orders) memberIds.add(await this.creditOne(unit, order, asOf));
    return [...memberIds];
  }

  private async lockOrRegister(
    unit: UnitOfWork,
    order: OrderCompletedV1,
    amountCents: number,
  ): Promise<LockedOrder> {
    const { manager, afterCommit } = unit;
    const existing = await this.lockAndClaim(manager, order, amountCents);
    if (existing) return existing;
    const { created, member } = await this.registrar.register(
      manager,
      order.userId,
      {},
      'platform',
    );
    if (created) {
      const registration = new MemberRegisteredEvent(member.id, order.userId, 'platform');
      afterCommit(() => {
        this.eventBus.publish(registration);
      });
    }
    const registered = await this.lockAndClaim(manager, order, amountCents);
    if (!registered)
      throw new Error(`member for user ${order.userId} vanished during registration`);
    return registered;
  }

  /**
   * Locks the user's member row and claims the order for it at the member's level, all in one
   * round trip: the claim takes the member's id and level from the row just locked, so it inserts
   * nothing when the user is no member yet. Undefined in that case.
   */
  private async lockAndClaim(
    manager: EntityManager,
    order: OrderCompletedV1,
    amountCents: number,
  ): Promise<LockedOrder | undefined> {
    const [locked, claimed, rungs] = await queryTogether(manager, [
      lockMemberByUserIdStatement(order.userId),
      statement(
        `INSERT IGNORE INTO member_order
           (order_id, member_id, amount_cents, level_before_id, level_after_id, completed_at)
         SELECT ?, id, ?, level_id, level_id, ? FROM member WHERE user_id = ?`,
        [order.orderId, amountCents, new Date(order.completedAt), order.userId],
      ),
      this.levels.ladderStatement(),
    ]);
    const member = lockedMemberOf(locked);
    if (!member) return undefined;
    return {
      member,
      counted: writeOf(claimed).affectedRows === 1,
      ladder: this.levels.ladderOf(rungs),
    };
  }
}
