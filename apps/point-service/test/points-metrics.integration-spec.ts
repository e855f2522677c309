import type { INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppException } from '@member-system/shared/errors';
import { withTransaction } from '@member-system/shared/database';
import { AppMetrics } from '@member-system/shared/observability';
import { JobRegistry, JobScheduler } from '@member-system/shared/service';
import type { IntegrationEnv } from '@member-system/shared/testing';
import {
  envelopeOf,
  openIntegrationEnv,
  publishEvent,
  waitFor,
} from '@member-system/shared/testing';
import { pointDatabase } from '../src/database/data-source';
import { Ledger, USE_ORDER } from '../src/ledger/core/ledger';
import { startPointService } from './point-service-kit';

let nextId = 7_000_000 + (Date.now() % 1_000_000);
const newId = (): string => String((nextId += 1));

describe('point-service metrics', () => {
  let env: IntegrationEnv;
  let app: INestApplicationContext;
  let ledger: Ledger;

  beforeAll(async () => {
    env = await openIntegrationEnv(pointDatabase);
    app = await startPointService(env);
    ledger = app.get(Ledger);
  });

  afterAll(async () => {
    await app.close();
    await env.close();
  });

  /** The sum of a metric's series that carry `labels`, as the app's registry has it now. */
  async function metric(name: string, labels: Record<string, string> = {}): Promise<number> {
    const found = app.get(AppMetrics).registry.getSingleMetric(name);
    if (!found) throw new Error(`${name} is not registered`);
    const { values } = await found.get();
    return values
      .filter((value) =>
        Object.entries(labels).every(([label, wanted]) => String(value.labels[label]) === wanted),
      )
      .reduce((sum, value) => sum + value.value, 0);
  }

  async function member(): Promise<{ memberId: string; userId: string }> {
    const account = { memberId: newId(), userId: newId() };
    await env.dataSource.query('INSERT INTO point_account (member_id, user_id) VALUES (?, ?)', [
      account.memberId,
      account.userId,
    ]);
    return account;
  }

  async function lotsOf(memberId: string): Promise<number> {
    const [row] = await env.dataSource.query<Array<{ amount: string | null }>>(
      'SELECT SUM(amount) AS amount FROM point_lot WHERE member_id = ?',
      [memberId],
    );
    return Number(row?.amount ?? 0);
  }

  const earn = (
    account: { memberId: string; userId: string },
    points: number,
    sourceId = newId(),
  ) =>
    ledger.earn(account, {
      points,
      source: 'campaign',
      sourceId,
      kind: 'earn:campaign',
      at: new Date(),
    });

  const spend = (account: { memberId: string; userId: string }, points: number, orderId: string) =>
    ledger.spend(account, {
      points,
      source: 'order',
      sourceId: orderId,
      kind: USE_ORDER,
      at: new Date(),
    });

  it("counts an order's points as earned by source once they commit, not on a redelivery", async () => {
    const account = await member();
    const earnedBefore = await metric('points_earned_total', { source: 'order' });
    const settledBefore = await metric('ms_events_consumed_total', { outcome: 'handled' });
    const duplicatesBefore = await metric('ms_events_consumed_total', { outcome: 'duplicate' });
    const event = envelopeOf('member.order-credited.v1', {
      orderId: newId(),
      ...account,
      amount: '321.50',
      levelBefore: 1,
      levelAfter: 1,
      completedAt: new Date().toISOString(),
    });

    await publishEvent(env.amqp, event);
    await waitFor(
      async () =>
        (await metric('ms_events_consumed_total', { outcome: 'handled' })) > settledBefore,
      { what: 'the order handled' },
    );
    await publishEvent(env.amqp, event);
    await waitFor(
      async () =>
        (await metric('ms_events_consumed_total', { outcome: 'duplicate' })) > duplicatesBefore,
      { what: 'the redelivery seen as a duplicate' },
    );

    const credited = await lotsOf(account.memberId);
    expect(credited).toBeGreaterThan(0);
    await expect(metric('points_earned_total', { source: 'order' })).resolves.toBe(
      earnedBefore + credited,
    );
  });

  it('counts the points of a spend as used, and nothing for its replay', async () => {
    const account = await member();
    const earnedBefore = await metric('points_earned_total', { source: 'campaign' });
    await earn(account, 500);
    await expect(metric('points_earned_total', { source: 'campaign' })).resolves.toBe(
      earnedBefore + 500,
    );
    const usedBefore = await metric('points_used_total', { type: 'spend' });
    const orderId = newId();

    const first = await spend(account, 120, orderId);
    const replayed = await spend(account, 120, orderId);

    expect(replayed).toEqual(first);
    await expect(metric('points_used_total', { type: 'spend' })).resolves.toBe(usedBefore + 120);
  });

  it("counts an admin's deduction as used by adjustment and its credit as earned by adjustment", async () => {
    const account = await member();
    const earnedBefore = await metric('points_earned_total', { source: 'adjustment' });
    const usedBefore = await metric('points_used_total', { type: 'adjustment' });

    await ledger.adjust(account, {
      points: 80,
      sourceId: newId(),
      note: 'goodwill',
      at: new Date(),
    });
    await ledger.adjust(account, { points: -30, sourceId: newId(), note: 'fix', at: new Date() });

    await expect(metric('points_earned_total', { source: 'adjustment' })).resolves.toBe(
      earnedBefore + 80,
    );
    await expect(metric('points_used_total', { type: 'adjustment' })).resolves.toBe(
      usedBefore + 30,
    );
  });

  it('counts nothing for a credit whose transaction rolls back', async () => {
    const account = await member();
    const earnedBefore = await metric('points_earned_total', { source: 'campaign' });

    await expect(
      ledger.transact(async (manager) => {
        await ledger.credit(manager, account, {
          points: 250,
          source: 'campaign',
          sourceId: newId(),
          kind: 'earn:campaign',
          at: new Date(),
        });
        throw new Error('the caller gives up after the credit');
      }),
    ).rejects.toThrow('the caller gives up');

    await expect(lotsOf(account.memberId)).resolves.toBe(0);
    await expect(metric('points_earned_total', { source: 'campaign' })).resolves.toBe(earnedBefore);
  });

  it('counts a credit that fails unexpectedly as a calculation error, but not a refused spend', async () => {
    const account = await member();
    const creditErrorsBefore = await metric('points_calculation_errors_total', {
      operation: 'credit',
    });
    const debitErrorsBefore = await metric('points_calculation_errors_total', {
      operation: 'debit',
    });
    const earnedBefore = await metric('points_earned_total', { source: 'campaign' });

    // A rule that computes no number: the write fails in MySQL.
    await expect(earn(account, Number.NaN)).rejects.toThrow();
    await expect(spend(account, 10, newId())).rejects.toBeInstanceOf(AppException);

    await expect(metric('points_calculation_errors_total', { operation: 'credit' })).resolves.toBe(
      creditErrorsBefore + 1,
    );
    await expect(metric('points_calculation_errors_total', { operation: 'debit' })).resolves.toBe(
      debitErrorsBefore,
    );
    await expect(metric('points_earned_total', { source: 'campaign' })).resolves.toBe(earnedBefore);
  });

  it("shows the primary pool's connections, in use while a transaction holds one", async () => {
    const primary = { role: 'primary' };

    const inUseDuringTransaction = await withTransaction(app.get(DataSource), async (manager) => {
      await manager.query('SELECT 1');
      return metric('member_db_connections', { ...primary, state: 'in_use' });
    });

    expect(inUseDuringTransaction).toBeGreaterThanOrEqual(1);
    // Its connection is back in the pool once it has committed.
    await expect(
      metric('member_db_connections', { ...primary, state: 'idle' }),
    ).resolves.toBeGreaterThanOrEqual(1);
  });

  it("counts a job's runs in the app's metrics, an admin's run included", async () => {
    const reconcile = app.get(JobRegistry).get('reconcile-points');
    if (!reconcile) throw new Error('reconcile-points is not registered');
    const succeeded = { job_name: 'reconcile-points', outcome: 'succeeded' };
    const before = await metric('member_job_runs_total', succeeded);

    await expect(app.get(JobScheduler).runNow(reconcile, new Date())).resolves.toMatchObject({
      outcome: 'succeeded',
    });

    await expect(metric('member_job_runs_total', succeeded)).resolves.toBe(before + 1);
    await expect(
      metric('member_job_last_success_timestamp_seconds', { job_name: 'reconcile-points' }),
    ).resolves.toBeGreaterThan(0);
  });
});
