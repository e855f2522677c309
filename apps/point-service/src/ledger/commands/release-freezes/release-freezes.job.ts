import { Injectable } from '@nestjs/common';
import type { OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { JobRegistry } from '@member-system/shared/service';
import type { Job } from '@member-system/shared/service';
import { Ledger } from '../../core/ledger';
import { Refunds } from '../../core/refunds';

/** Hourly: refund freezes whose period (7 days) ran out without an outcome go back to the member. */
@Injectable()
export class ReleaseFreezesJob implements Job, OnModuleInit {
  readonly name = 'release-freezes';
  readonly schedule = { everyMs: 3_600_000 };

  constructor(
    private readonly dataSource: DataSource,
    private readonly refunds: Refunds,
    private readonly ledger: Ledger,
    private readonly registry: JobRegistry,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async run(asOf: Date): Promise<Record<string, unknown>> {
    const due = await this.dataSource.query<
      Array<{ id: string; member_id: string; user_id: string }>
    >(
      `SELECT f.id, f.member_id, a.user_id FROM point_freeze f JOIN point_account a ON a.member_id = f.member_id
        WHERE f.status = 'frozen' AND f.frozen_until <= ? ORDER BY f.frozen_until LIMIT 10000`,
      [asOf],
    );
    let released = 0;
    for (const freeze of due) {
      const account = { memberId: String(freeze.member_id), userId: String(freeze.user_id) };
      if (
        await this.ledger.transact((manager) =>
          this.refunds.releaseExpired(manager, account, String(freeze.id)),
        )
      ) {
        released += 1;
      }
    }
    return { released };
  }
}
