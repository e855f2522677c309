import { CommandHandler } from '@nestjs/cqrs';
import type { ICommandHandler } from '@nestjs/cqrs';
import { Gauge } from 'prom-client';
import { AppMetrics } from '@member-system/shared/observability';
import { ReadDatabase } from '@member-system/shared/service';
import { ReconcilePointsCommand } from './reconcile-points.command';

interface Drift {
  member_id: string;
  available: string;
  lots_remaining: string;
  held: string;
  reserved: string;
  frozen: string;
  freezes: string;
  earned: string;
  lots_amount: string;
}

/**
 * Recomputes every account from its lots, holds and freezes and reports where they disagree, as a
 * metric and in the run's result. It never "fixes" anything: drift is a bug to investigate.
 * What must hold: available = what the lots have left (held and frozen points were taken from
 * them), held = reserved holds, frozen = open freezes, lifetime earned = what the lots were given.
 * It writes nothing, so it reads where queries read (ReadDatabase): the scan stays off the primary.
 */
@CommandHandler(ReconcilePointsCommand)
export class ReconcilePointsHandler implements ICommandHandler<ReconcilePointsCommand> {
  private readonly drifted: Gauge;

  constructor(
    private readonly readDatabase: ReadDatabase,
    metrics: AppMetrics,
  ) {
    this.drifted = new Gauge({
      name: 'ms_points_reconciliation_drifted_accounts',
      help: 'Accounts whose balances disagree with their lots, holds and freezes at the last reconciliation',
      registers: [metrics.registry],
    });
  }

  async execute(): Promise<Record<string, unknown>> {
    const [{ accounts } = { accounts: '0' }] = await this.readDatabase.query<
      Array<{ accounts: string }>
    >('SELECT COUNT(*) AS accounts FROM point_account');
    const drifts = await this.readDatabase.query<Drift[]>(`
      SELECT a.member_id, a.available, COALESCE(l.remaining, 0) AS lots_remaining,
             a.held, COALESCE(h.points, 0) AS reserved, a.frozen, COALESCE(f.points, 0) AS freezes,
             a.lifetime_earned AS earned, COALESCE(l.amount, 0) AS lots_amount
        FROM point_account a
        LEFT JOIN (SELECT member_id, SUM(remaining) AS remaining, SUM(amount) AS amount FROM point_lot GROUP BY member_id) l
               ON l.member_id = a.member_id
        LEFT JOIN (SELECT member_id, SUM(points) AS points FROM point_hold WHERE status = 'reserved' GROUP BY member_id) h
               ON h.member_id = a.member_id
        LEFT JOIN (SELECT member_id, SUM(points) AS points FROM point_freeze WHERE status = 'frozen' GROUP BY member_id) f
               ON f.member_id = a.member_id
       WHERE a.available <> COALESCE(l.remaining, 0) OR a.held <> COALESCE(h.points, 0)
          OR a.frozen <> COALESCE(f.points, 0) OR a.lifetime_earned <> COALESCE(l.amount, 0)
          OR a.available < 0 OR a.held < 0 OR a.frozen < 0 OR a.debt < 0`);
    this.drifted.set(drifts.length);
    return {
      accounts: Number(accounts),
      drifted: drifts.length,
      samples: drifts.slice(0, 20).map((drift) => ({
        memberId: String(drift.member_id),
        available: [Number(drift.available), Number(drift.lots_remaining)],
        held: [Number(drift.held), Number(drift.reserved)],
        frozen: [Number(drift.frozen), Number(drift.freezes)],
        earned: [Number(drift.earned), Number(drift.lots_amount)],
      })),
    };
  }
}
