import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { EarnBatchDto, EarnBatchItemDto, EarnBatchResult } from '@member-system/contracts';
import { isDuplicateKeyError } from '@member-system/shared/database';
import { OutboxWriter } from '@member-system/shared/messaging';
import { Clock } from '@member-system/shared/service';
import { PointServiceConfig } from '../../../config/point-service.config';
import { Ledger } from '../../ledger';
import type { Balances, LockedAccount } from '../../ledger';
import { expiryOf } from '../../point-rules';

/** Items per transaction: big enough for few round trips, small enough for short locks. */
const CHUNK_ITEMS = 500;
/** A chunk is redone when another writer claims one of its keys meanwhile (rare). */
const CHUNK_ATTEMPTS = 3;

interface Credit {
  item: EarnBatchItemDto;
  kept: number;
  repaid: number;
  /** The member's balances after the credit's earn row, and after its repay row. */
  earned: Balances;
  after: Balances;
}

interface ChunkOutcome {
  credited: number;
  duplicates: number;
  points: number;
  unknownMembers: string[];
}

const keyOf = (memberId: string, source: string, sourceId: string): string =>
  `${memberId}\n${source}\n${sourceId}`;

/** Admin bulk credits keep their own key space: they never take a key a platform event needs. */
const kindOf = (source: string): string => `batch:${source}`;

/**
 * `POST /admin/points/earn-batch`: thousands of credits in one call, in bulk SQL. Items are sorted
 * by member and cut into chunks; each chunk is one transaction that locks its accounts in one
 * statement and writes its lots, history, natural keys and events in one multi-row statement each.
 * Every item earns once by its member, source and sourceId, as a single credit would: a retried
 * batch credits only what had not been credited, and debt is paid first, as ever. Bulk credits
 * have their own keys (`batch:<source>`), so one never stands in for a platform event's earning.
 */
@Injectable()
export class EarnBatchHandler {
  constructor(
    private readonly ledger: Ledger,
    private readonly outbox: OutboxWriter,
    private readonly clock: Clock,
    @Inject(PointServiceConfig) private readonly config: PointServiceConfig,
  ) {}

  async execute(batch: EarnBatchDto): Promise<EarnBatchResult> {
    const result: EarnBatchResult = { credited: 0, duplicates: 0, unknownMembers: [], points: 0 };
    // The same member, source and sourceId twice in one batch: the first one counts.
    const seen = new Set<string>();
    const items: EarnBatchItemDto[] = [];
    for (const item of batch.items) {
      const key = keyOf(item.memberId, item.source, item.sourceId);
      if (seen.has(key)) result.duplicates += 1;
      else items.push(item);
      seen.add(key);
    }
    // Stable: a member's items keep their order, so their balances read as the batch lists them.
    items.sort((a, b) => compareIds(a.memberId, b.memberId));
    const at = this.clock.now();
    const unknown = new Set<string>();
    for (let start = 0; start < items.length; start += CHUNK_ITEMS) {
      const outcome = await this.creditChunk(items.slice(start, start + CHUNK_ITEMS), at);
      result.credited += outcome.credited;
      result.duplicates += outcome.duplicates;
      result.points += outcome.points;
      for (const memberId of outcome.unknownMembers) unknown.add(memberId);
    }
    result.unknownMembers = [...unknown];
    return result;
  }

  private async creditChunk(items: EarnBatchItemDto[], at: Date): Promise<ChunkOutcome> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.ledger.transact((manager) => this.creditIn(manager, items, at));
      } catch (error) {
        // Another writer claimed one of these keys after this chunk looked: look again.
        if (!isDuplicateKeyError(error) || attempt === CHUNK_ATTEMPTS) throw error;
      }
    }
  }

  private async creditIn(
    manager: EntityManager,
    items: EarnBatchItemDto[],
    at: Date,
  ): Promise<ChunkOutcome> {
    const memberIds = [...new Set(items.map((item) => item.memberId))];
    const accounts = await this.ledger.lockMany(manager, memberIds);
    const known = items.filter((item) => accounts.has(item.memberId));
    const claimed = await this.claimedKeys(manager, known);
    const fresh = known.filter(
      (item) => !claimed.has(keyOf(item.memberId, item.source, item.sourceId)),
    );
    const outcome: ChunkOutcome = {
      credited: fresh.length,
      duplicates: known.length - fresh.length,
      points: fresh.reduce((sum, item) => sum + item.points, 0),
      unknownMembers: memberIds.filter((memberId) => !accounts.has(memberId)),
    };
    if (fresh.length === 0) return outcome;

    const credits = this.plan(fresh, accounts);
    const expiresAt = expiryOf(at, this.config.POINTS_EXPIRY_YEARS, this.config.BUSINESS_TIME_ZONE);
    const lotIds = await this.insertLots(manager, credits, at, expiresAt);
    await this.updateAccounts(manager, credits);
    const transactionIds = await this.insertHistory(manager, credits, lotIds, at, expiresAt);
    // The natural keys go in last, settled, with a plain INSERT: a key someone claimed since the
    // look above fails the whole chunk, which then runs again and counts it as a duplicate.
    await manager.query(
      'INSERT INTO point_operation (kind, natural_key, member_id, transaction_id) VALUES ?',
      [
        credits.map(({ item }) => [
          kindOf(item.source),
          item.sourceId,
          item.memberId,
          transactionIds.get(keyOf(item.memberId, item.source, item.sourceId)),
        ]),
      ],
    );
    await this.outbox.addMany(
      manager,
      'points.earned.v1',
      credits.map(({ item, after }) => ({
        memberId: item.memberId,
        userId: (accounts.get(item.memberId) as LockedAccount).userId,
        points: item.points,
        source: item.source,
        sourceId: item.sourceId,
        transactionId: transactionIds.get(keyOf(item.memberId, item.source, item.sourceId)) ?? '',
        expiresAt: expiresAt.toISOString(),
        balanceAfter: after.available,
      })),
    );
    return outcome;
  }

  private async claimedKeys(
    manager: EntityManager,
    items: readonly EarnBatchItemDto[],
  ): Promise<Set<string>> {
    if (items.length === 0) return new Set();
    const rows = await manager.query<
      Array<{ member_id: string; kind: string; natural_key: string }>
    >(
      'SELECT member_id, kind, natural_key FROM point_operation WHERE (member_id, kind, natural_key) IN (?)',
      [items.map((item) => [item.memberId, kindOf(item.source), item.sourceId])],
    );
    return new Set(
      rows.map((row) =>
        keyOf(String(row.member_id), row.kind.slice(kindOf('').length), row.natural_key),
      ),
    );
  }

  /** Each credit in turn, per member: debt is paid first, the rest is the lot's to spend. */
  private plan(items: readonly EarnBatchItemDto[], accounts: Map<string, LockedAccount>): Credit[] {
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

  /** Returns each new lot's id by member, source and source id. */
  private async insertLots(
    manager: EntityManager,
    credits: readonly Credit[],
    at: Date,
    expiresAt: Date,
  ): Promise<Map<string, string>> {
    const inserted = await manager.query<{ insertId: number }>(
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
    );
    // Lots are written only under their account's lock, which this transaction holds: its rows
    // are the only ones at or past its first id for these members.
    const rows = await manager.query<
      Array<{ id: string; member_id: string; source: string; source_id: string }>
    >(
      `SELECT id, member_id, source, source_id FROM point_lot
        WHERE member_id IN (?) AND expires_at = ? AND earned_at = ? AND id >= ?`,
      [[...new Set(credits.map(({ item }) => item.memberId))], expiresAt, at, inserted.insertId],
    );
    return new Map(
      rows.map((row) => [keyOf(String(row.member_id), row.source, row.source_id), String(row.id)]),
    );
  }

  private async updateAccounts(manager: EntityManager, credits: readonly Credit[]): Promise<void> {
    const totals = new Map<string, { kept: number; repaid: number; earned: number }>();
    for (const { item, kept, repaid } of credits) {
      const total = totals.get(item.memberId) ?? { kept: 0, repaid: 0, earned: 0 };
      total.kept += kept;
      total.repaid += repaid;
      total.earned += item.points;
      totals.set(item.memberId, total);
    }
    // One statement for every account: a derived table of the changes, joined by member.
    const changes = [...totals].map((_, index) =>
      index === 0
        ? 'SELECT CAST(? AS UNSIGNED) AS member_id, ? AS kept, ? AS repaid, ? AS earned'
        : 'SELECT CAST(? AS UNSIGNED), ?, ?, ?',
    );
    await manager.query(
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

  /** Returns each history row's id by member, source and source id. */
  private async insertHistory(
    manager: EntityManager,
    credits: readonly Credit[],
    lotIds: Map<string, string>,
    at: Date,
    expiresAt: Date,
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
    const inserted = await manager.query<{ insertId: number }>(
      `INSERT INTO point_transaction
         (member_id, type, points, balance_after, frozen_after, held_after, debt_after, source, source_id, lot_id, expires_at, created_at)
       VALUES ?`,
      [rows],
    );
    const written = await manager.query<
      Array<{ id: string; member_id: string; source: string; source_id: string }>
    >(
      `SELECT id, member_id, source, source_id FROM point_transaction
        WHERE member_id IN (?) AND created_at = ? AND id >= ? AND type = 'earn'`,
      [[...new Set(credits.map(({ item }) => item.memberId))], at, inserted.insertId],
    );
    return new Map(
      written.map((row) => [
        keyOf(String(row.member_id), row.source, row.source_id),
        String(row.id),
      ]),
    );
  }
}

/** Orders decimal id strings numerically. */
function compareIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}
