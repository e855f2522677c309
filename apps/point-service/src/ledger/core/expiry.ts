import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { OutboxWriter } from '@member-system/shared/messaging';
import { LedgerStore } from './ledger-store';
import type { AccountRef } from './ledger-store';
import { LedgerMetrics } from './ledger-metrics';

/**
 * Expiry: lots past their expiry lose what remains, as one history row and one
 * `points.expired.v1` per member and expiry time. Held and frozen points were taken out of their
 * lots, so only what is available expires.
 */
@Injectable()
export class Expiry {
  constructor(
    private readonly store: LedgerStore,
    private readonly outbox: OutboxWriter,
    private readonly metrics: LedgerMetrics,
  ) {}

  /** Expires the member's lots due at `asOf`, under the account lock; returns the points. */
  expire(manager: EntityManager, account: AccountRef, asOf: Date): Promise<number> {
    return this.metrics.failuresOf('expire', async () => {
      const locked = await this.store.lock(manager, account);
      const lots = await manager.query<Array<{ id: string; remaining: string; expires_at: Date }>>(
        `SELECT id, remaining, expires_at FROM point_lot
          WHERE member_id = ? AND remaining > 0 AND expires_at <= ? ORDER BY expires_at, id FOR UPDATE`,
        [locked.memberId, asOf],
      );
      const byExpiry = new Map<number, number>();
      for (const lot of lots) {
        await manager.query('UPDATE point_lot SET remaining = 0 WHERE id = ?', [lot.id]);
        const at = lot.expires_at.getTime();
        byExpiry.set(at, (byExpiry.get(at) ?? 0) + Number(lot.remaining));
      }
      let balance = locked.available;
      let total = 0;
      for (const [at, points] of byExpiry) {
        balance -= points;
        total += points;
        const expiredAt = new Date(at);
        const transactionId = await this.store.record(manager, locked.memberId, {
          type: 'expire',
          points: -points,
          after: { ...locked, available: balance },
          source: 'expiry',
          sourceId: expiredAt.toISOString(),
        });
        await this.outbox.add(manager, 'points.expired.v1', {
          memberId: locked.memberId,
          userId: locked.userId,
          points,
          transactionId,
          expiredAt: expiredAt.toISOString(),
          balanceAfter: balance,
        });
      }
      await manager.query(
        'UPDATE point_account SET available = available - ?, lifetime_expired = lifetime_expired + ? WHERE member_id = ?',
        [total, total, locked.memberId],
      );
      this.metrics.used(manager, 'expiry', total);
      return total;
    });
  }
}
