import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { PointEarnSource } from '@member-system/contracts';
import { queryTogether, rowsOf, statement } from '@member-system/shared/database';
import type { Statement } from '@member-system/shared/database';
import { OutboxWriter } from '@member-system/shared/messaging';
import { PointServiceConfig } from '../../config/point-service.config';
import { expiryOf } from '../point-rules';
import { LedgerStore } from './ledger-store';
import type { Balances, LockedAccount } from './ledger-store';
import { LedgerMetrics } from './ledger-metrics';

/** One credit of a bulk credit: its member, points and natural key. */
export interface BulkCreditItem {
  memberId: string;
  /** Opens the member's account when it is missing (an event names both ids); else unknown. */
  userId?: string;
  points: number;
  source: PointEarnSource;
  sourceId: string;
  /** The key's kind: `batch:<source>` for an admin's bulk credit, `earn:order` for orders. */
  kind: string;
  /** An order's credit: what the order earned is remembered, for its refunds. */
  orderAmountCents?: number;
}

interface Credit {
  item: BulkCreditItem;
  kept: number;
  repaid: number;
  /** The member's balances after the credit's earn row, and after its repay row. */
  earned: Balances;
  after: Balances;
}

/** What one chunk of a bulk credit did. */
export interface BulkCreditOutcome {
  credited: number;
  duplicates: number;
  points: number;
  unknownMembers: string[];
}

/** One bulk credit item's identity: its member, source (or kind) and source id. */
export const bulkCreditKeyOf = (memberId: string, source: string, sourceId: string): string =>
  `${memberId}\n${source}\n${sourceId}`;
const keyOf = bulkCreditKeyOf;

/**
 * Bulk credits, the same plan as a single credit, in bulk SQL: one transaction locks its accounts
 * in one statement and writes its lots, history, natural keys and events in one multi-row
 * statement each. Every item earns once by its member, source and sourceId (kind
 * `batch:<source>`, so one never stands in for a platform event's earning), and debt is paid
 * first, as ever.
 */
@Injectable()
export class BulkCredits {
  constructor(
    private readonly store: LedgerStore,
    private readonly outbox: OutboxWriter,
    @Inject(PointServiceConfig) private readonly config: PointServiceConfig,
    private readonly metrics: LedgerMetrics,
  ) {}

  /**
   * Credits the items (sorted by member, each member's in the order to credit them), in the
   * caller's transaction. A key another writer claims meanwhile fails the whole call with a
   * duplicate-key error: the caller runs it again and it counts as a duplicate.
   */
  credit(
    manager: EntityManager,
    items: readonly BulkCreditItem[],
    at: Date,
  ): Promise<BulkCreditOutcome> {
    return this.metrics.failuresOf('bulk_credit', async () => {
      const memberIds = [...new Set(items.map((item) => item.memberId))];
      // Round trip 1: the accounts locked, and which keys were claimed before.
      const [locked, claimedRows] = await queryTogether(manager, [
        this.store.lockManyStatement(memberIds),
        this.claimedKeysStatement(items),
      ]);
      const accounts = await this.openMissing(
        manager,
        items,
        this.store.lockedAccountsOf(locked, manager),
      );
      const claimed = new Set(
        rowsOf<{ member_id: string; kind: string; natural_key: string }>(claimedRows).map((row) =>
          keyOf(String(row.member_id), row.kind, row.natural_key),
        ),
      );
      const known = items.filter((item) => accounts.has(item.memberId));
      const fresh = known.filter(
        (item) => !claimed.has(keyOf(item.memberId, item.kind, item.sourceId)),
      );
      const outcome: BulkCreditOutcome = {
        credited: fresh.length,
        duplicates: known.length - fresh.length,
        points: fresh.reduce((sum, item) => sum + item.points, 0),
        unknownMembers: memberIds.filter((memberId) => !accounts.has(memberId)),
      };
      if (fresh.length === 0) return outcome;

      // Credits of no points (an order too small to earn) claim their keys and record nothing else.
      const credits = this.plan(
        fresh.filter((item) => item.points > 0),
        accounts,
      );
      const expiresAt = expiryOf(
        at,
        this.config.POINTS_EXPIRY_YEARS,
        this.config.BUSINESS_TIME_ZONE,
      );
      // Round trips 2 and 3: the lots; then the history rows, the balances and the order earnings.
      const transactionIds =
        credits.length === 0
          ? new Map<string, string>()
          : await this.insertHistory(
              manager,
              credits,
              await this.insertLots(manager, credits, at, expiresAt),
              at,
              expiresAt,
              [this.updateAccountsStatement(credits), this.orderEarnsStatement(fresh)],
            );
      // Round trip 4: the natural keys, settled, with a plain INSERT (a key someone claimed since
      // the look above fails the whole call, which then runs again and counts it as a duplicate),
      // and the events.
      await queryTogether(
        manager,
        [
          ...(credits.length === 0 ? [this.orderEarnsStatement(fresh)] : []),
          statement(
            'INSERT INTO point_operation (kind, natural_key, member_id, transaction_id) VALUES ?',
            [
              fresh.map((item) => [
                item.kind,
                item.sourceId,
                item.memberId,
                transactionIds.get(keyOf(item.memberId, item.source, item.sourceId)) ?? null,
              ]),
            ],
          ),
          ...(credits.length === 0
            ? []
            : [
                this.outbox.statementOfMany(
                  manager,
                  'points.earned.v1',
                  credits.map(({ item, after }) => ({
                    memberId: item.memberId,
                    userId: (accounts.get(item.memberId) as LockedAccount).userId,
                    points: item.points,
                    source: item.source,
                    sourceId: item.sourceId,
                    transactionId:
                      transactionIds.get(keyOf(item.memberId, item.source, item.sourceId)) ?? '',
                    expiresAt: expiresAt.toISOString(),
                    balanceAfter: after.available,
                  })),
                ),
              ]),
        ].filter((one): one is Statement => one !== undefined),
      );
      for (const { item } of credits) this.metrics.earned(manager, item.source, item.points);
      return outcome;
    });
  }

  /**
   * Opens and locks the missing accounts whose items name their user (an event names both ids);
   * only those: INSERT IGNORE takes a shared lock on a row that exists.
   */
  private async openMissing(
    manager: EntityManager,
    items: readonly BulkCreditItem[],
    accounts: Map<string, LockedAccount>,
  ): Promise<Map<string, LockedAccount>> {
    const missing = new Map<string, string>();
    for (const item of items) {
      if (item.userId !== undefined && !accounts.has(item.memberId)) {
        missing.set(item.memberId, item.userId);
      }
    }
    if (missing.size === 0) return accounts;
    await manager.query('INSERT IGNORE INTO point_account (member_id, user_id) VALUES ?', [
      [...missing],
    ]);
    for (const [memberId, account] of await this.store.lockMany(manager, [...missing.keys()])) {
      accounts.set(memberId, account);
    }
    return accounts;
  }

  /** What each order earned, for its refunds to reverse in proportion. */
  private orderEarnsStatement(items: readonly BulkCreditItem[]): Statement | undefined {
    const orders = items.filter((item) => item.orderAmountCents !== undefined);
    if (orders.length === 0) return undefined;
    return statement(
      'INSERT IGNORE INTO point_order_earn (order_id, member_id, amount_cents, points) VALUES ?',
      [orders.map((item) => [item.sourceId, item.memberId, item.orderAmountCents, item.points])],
    );
  }

  /** The keys of `items` claimed already, as rows of member_id, kind and natural_key. */
  private claimedKeysStatement(items: readonly BulkCreditItem[]): Statement {
    return statement(
      'SELECT member_id, kind, natural_key FROM point_operation WHERE (member_id, kind, natural_key) IN (?)',
      [items.map((item) => [item.memberId, item.kind, item.sourceId])],
    );
  }

  /** Each credit in turn, per member: debt is paid first, the rest is the lot's to spend. */
  private plan(items: readonly BulkCreditItem[], accounts: Map<string, LockedAccount>): Credit[] {
    const running = new Map([...accounts].map(([id, account]) => [id, { ...account }]));
    return items.map((item) => {
      const account = running.get(item.memberId) as LockedAccount;
      const repaid = Math.min(account.debt, item.points);
      const earned = { ...account, available: account.available + item.points };
      account.debt -= repaid;
      account.available += item.points - repaid;
      return { item, kept: item.points - repaid, repaid, earned, after: { ...account } };
    });
  }

  /** Inserts the lots and returns each one's id by member, source and source id: one round trip. */
  private async insertLots(
    manager: EntityManager,
    credits: readonly Credit[],
    at: Date,
    expiresAt: Date,
  ): Promise<Map<string, string>> {
    // Lots are written only under their account's lock, which this transaction holds: its rows
    // are the only ones at or past the first id the insert gave (LAST_INSERT_ID) for these members.
    const [, rows] = await queryTogether(manager, [
      statement(
        `INSERT INTO point_lot (member_id, source, source_id, amount, remaining, earned_at, available_from, expires_at)
         VALUES ?`,
        [
          credits.map(({ item, kept }) => [
            item.memberId,
            item.source,
            item.sourceId,
            item.points,
            kept,
            at,
            at,
            expiresAt,
          ]),
        ],
      ),
      statement(
        `SELECT id, member_id, source, source_id FROM point_lot
          WHERE member_id IN (?) AND expires_at = ? AND earned_at = ? AND id >= LAST_INSERT_ID()`,
        [[...new Set(credits.map(({ item }) => item.memberId))], expiresAt, at],
      ),
    ]);
    return new Map(
      rowsOf<{ id: string; member_id: string; source: string; source_id: string }>(rows).map(
        (row) => [keyOf(String(row.member_id), row.source, row.source_id), String(row.id)],
      ),
    );
  }

  /** One statement for every account: a derived table of the changes, joined by member. */
  private updateAccountsStatement(credits: readonly Credit[]): Statement {
    const totals = new Map<string, { kept: number; repaid: number; earned: number }>();
    for (const { item, kept, repaid } of credits) {
      const total = totals.get(item.memberId) ?? { kept: 0, repaid: 0, earned: 0 };
      total.kept += kept;
      total.repaid += repaid;
      total.earned += item.points;
      totals.set(item.memberId, total);
    }
    const changes = [...totals].map((_, index) =>
      index === 0
        ? 'SELECT CAST(? AS UNSIGNED) AS member_id, ? AS kept, ? AS repaid, ? AS earned'
        : 'SELECT CAST(? AS UNSIGNED), ?, ?, ?',
    );
    return statement(
      `UPDATE point_account a JOIN (${changes.join(' UNION ALL ')}) c ON c.member_id = a.member_id
          SET a.available = a.available + c.kept, a.debt = a.debt - c.repaid,
              a.lifetime_earned = a.lifetime_earned + c.earned`,
      [...totals].flatMap(([memberId, total]) => [
        memberId,
        total.kept,
        total.repaid,
        total.earned,
      ]),
    );
  }

  /**
   * Inserts the history rows and sends `alongside` in the same round trip; returns each earn
   * row's id by member, source and source id.
   */
  private async insertHistory(
    manager: EntityManager,
    credits: readonly Credit[],
    lotIds: Map<string, string>,
    at: Date,
    expiresAt: Date,
    alongside: ReadonlyArray<Statement | undefined>,
  ): Promise<Map<string, string>> {
    // Each credit's earn row, then its repay row when it paid debt.
    const rows = credits.flatMap(({ item, earned, after, repaid }) => {
      const row = (type: string, points: number, balances: Balances, lotId: unknown) => [
        item.memberId,
        type,
        points,
        balances.available,
        balances.frozen,
        balances.held,
        balances.debt,
        item.source,
        item.sourceId,
        lotId,
        type === 'earn' ? expiresAt : null,
        at,
      ];
      const lotId = lotIds.get(keyOf(item.memberId, item.source, item.sourceId));
      return repaid > 0
        ? [row('earn', item.points, earned, lotId), row('repay', -repaid, after, null)]
        : [row('earn', item.points, earned, lotId)];
    });
    const [, written] = await queryTogether(manager, [
      statement(
        `INSERT INTO point_transaction
           (member_id, type, points, balance_after, frozen_after, held_after, debt_after, source, source_id, lot_id, expires_at, created_at)
         VALUES ?`,
        [rows],
      ),
      statement(
        `SELECT id, member_id, source, source_id FROM point_transaction
          WHERE member_id IN (?) AND created_at = ? AND id >= LAST_INSERT_ID() AND type = 'earn'`,
        [[...new Set(credits.map(({ item }) => item.memberId))], at],
      ),
      ...alongside.filter((one): one is Statement => one !== undefined),
    ]);
    return new Map(
      rowsOf<{ id: string; member_id: string; source: string; source_id: string }>(written).map(
        (row) => [keyOf(String(row.member_id), row.source, row.source_id), String(row.id)],
      ),
    );
  }
}
