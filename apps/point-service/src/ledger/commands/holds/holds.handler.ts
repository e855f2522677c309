import { Injectable } from '@nestjs/common';
import type { OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { HoldView, PointsResult, ReserveHoldDto } from '@member-system/contracts';
import { Clock, JobRegistry } from '@member-system/shared/service';
import type { Job, Subject } from '@member-system/shared/service';
import { AccountDirectory } from '../../account-directory';
import { Holds } from '../../core/holds';
import { Ledger } from '../../core/ledger';

const DEFAULT_HOLD_SECONDS = 15 * 60;

/** The hold endpoints, and the `expire-holds` job (every minute) that releases holds past their time. */
@Injectable()
export class HoldsHandler implements Job, OnModuleInit {
  readonly name = 'expire-holds';
  readonly schedule = { everyMs: 60_000 };

  constructor(
    private readonly accounts: AccountDirectory,
    private readonly dataSource: DataSource,
    private readonly holds: Holds,
    private readonly ledger: Ledger,
    private readonly clock: Clock,
    private readonly registry: JobRegistry,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  reserve(subject: Subject, request: ReserveHoldDto): Promise<HoldView> {
    return this.ledger.transact(async (manager) =>
      this.holds.reserve(manager, await this.accounts.of(manager, subject), {
        points: request.points,
        orderId: request.orderId,
        ttlSeconds: request.ttlSeconds ?? DEFAULT_HOLD_SECONDS,
        at: this.clock.now(),
      }),
    );
  }

  capture(subject: Subject, holdId: string): Promise<PointsResult> {
    return this.ledger.transact(async (manager) =>
      this.holds.capture(
        manager,
        await this.accounts.of(manager, subject),
        holdId,
        this.clock.now(),
      ),
    );
  }

  release(subject: Subject, holdId: string): Promise<HoldView> {
    return this.ledger.transact(async (manager) =>
      this.holds.release(
        manager,
        await this.accounts.of(manager, subject),
        holdId,
        this.clock.now(),
      ),
    );
  }

  /** Each expired hold in its own short transaction, so one member's lock never holds up the rest. */
  async run(asOf: Date): Promise<Record<string, unknown>> {
    const due = await this.dataSource.query<
      Array<{ id: string; member_id: string; user_id: string }>
    >(
      `SELECT h.id, h.member_id, a.user_id FROM point_hold h JOIN point_account a ON a.member_id = h.member_id
        WHERE h.status = 'reserved' AND h.expires_at <= ? ORDER BY h.expires_at LIMIT 10000`,
      [asOf],
    );
    for (const hold of due) {
      await this.ledger.transact((manager) =>
        this.holds.release(
          manager,
          { memberId: String(hold.member_id), userId: String(hold.user_id) },
          String(hold.id),
          asOf,
          'expired',
        ),
      );
    }
    return { expired: due.length };
  }
}
