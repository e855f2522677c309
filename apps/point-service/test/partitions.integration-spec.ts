import type { INestApplicationContext } from '@nestjs/common';
import { JOB_OWNERS } from '@member-system/contracts';
import { JobRegistry, JobScheduler } from '@member-system/shared/service';
import type { Job } from '@member-system/shared/service';
import type { IntegrationEnv } from '@member-system/shared/testing';
import { openIntegrationEnv } from '@member-system/shared/testing';
import { pointDatabase } from '../src/database/data-source';
import { startPointService } from './point-service-kit';

const months = (year: number, from: number, to: number): string[] =>
  Array.from({ length: to - from + 1 }, (_, i) => `p${year}${String(from + i).padStart(2, '0')}`);

describe('point-service partitions of the points history', () => {
  let env: IntegrationEnv;
  let app: INestApplicationContext;
  let job: Job;

  beforeAll(async () => {
    env = await openIntegrationEnv(pointDatabase);
    app = await startPointService(env);
    job = app.get(JobRegistry).get('partition-points-history') as Job;
  });

  afterAll(async () => {
    await app.close();
    await env.close();
  });

  async function partitions(): Promise<Array<{ name: string; bound: string }>> {
    return env.dataSource.query(
      `SELECT PARTITION_NAME AS name, PARTITION_DESCRIPTION AS bound FROM information_schema.PARTITIONS
        WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'point_transaction'
        ORDER BY PARTITION_ORDINAL_POSITION`,
    );
  }

  async function rowsIn(partition: string): Promise<string[]> {
    if (!/^p[_0-9a-z]+$/.test(partition)) throw new Error(partition);
    const rows = await env.dataSource.query<Array<{ source_id: string }>>(
      `SELECT source_id FROM point_transaction PARTITION (${partition}) ORDER BY source_id`,
    );
    return rows.map((row) => row.source_id);
  }

  async function historyAt(createdAt: string): Promise<void> {
    await env.dataSource.query(
      `INSERT INTO point_transaction (member_id, type, points, balance_after, source, source_id, created_at)
       VALUES (1, 'earn', 1, 1, 'adjustment', ?, ?)`,
      [createdAt, createdAt],
    );
  }

  it('is a point job that registers itself', () => {
    expect(JOB_OWNERS['partition-points-history']).toBe('point');
    expect(job).toBeDefined();
    expect(job.schedule).toEqual({ dailyAt: '02:00' });
  });

  it('splits p_future into the months from p_history through asOf + 3, moving the rows already there', async () => {
    for (const at of [
      '2025-12-31 23:59:59.999',
      '2026-01-01 00:00:00.000',
      '2026-02-10 08:00:00.000',
      '2026-05-31 23:59:59.999',
      '2026-07-03 00:00:00.000',
    ]) {
      await historyAt(at);
    }
    expect(await rowsIn('p_future')).toHaveLength(4);

    await expect(job.run(new Date('2026-03-15T00:00:00Z'))).resolves.toEqual({
      created: months(2026, 1, 6),
      partitions: 8,
    });

    expect(await partitions()).toEqual([
      { name: 'p_history', bound: "'2026-01-01'" },
      { name: 'p202601', bound: "'2026-02-01'" },
      { name: 'p202602', bound: "'2026-03-01'" },
      { name: 'p202603', bound: "'2026-04-01'" },
      { name: 'p202604', bound: "'2026-05-01'" },
      { name: 'p202605', bound: "'2026-06-01'" },
      { name: 'p202606', bound: "'2026-07-01'" },
      { name: 'p_future', bound: 'MAXVALUE' },
    ]);
    expect(await rowsIn('p_history')).toEqual(['2025-12-31 23:59:59.999']);
    expect(await rowsIn('p202601')).toEqual(['2026-01-01 00:00:00.000']);
    expect(await rowsIn('p202602')).toEqual(['2026-02-10 08:00:00.000']);
    expect(await rowsIn('p202605')).toEqual(['2026-05-31 23:59:59.999']);
    expect(await rowsIn('p_future')).toEqual(['2026-07-03 00:00:00.000']);
    const [{ total }] = await env.dataSource.query<[{ total: string }]>(
      'SELECT COUNT(*) AS total FROM point_transaction',
    );
    expect(Number(total)).toBe(5);
  });

  it('creates nothing on a second run', async () => {
    const before = await partitions();

    await expect(job.run(new Date('2026-03-15T00:00:00Z'))).resolves.toEqual({
      created: [],
      partitions: 8,
    });
    await expect(job.run(new Date('2026-03-31T23:59:59.999Z'))).resolves.toEqual({
      created: [],
      partitions: 8,
    });
    expect(await partitions()).toEqual(before);
  });

  it('adds only the missing months on a later run', async () => {
    await expect(job.run(new Date('2026-08-01T00:00:00Z'))).resolves.toEqual({
      created: months(2026, 7, 11),
      partitions: 13,
    });

    expect((await partitions()).map((partition) => partition.name)).toEqual([
      'p_history',
      ...months(2026, 1, 11),
      'p_future',
    ]);
    expect((await partitions()).at(-2)).toEqual({ name: 'p202611', bound: "'2026-12-01'" });
    expect(await rowsIn('p202607')).toEqual(['2026-07-03 00:00:00.000']);
    expect(await rowsIn('p_future')).toEqual([]);
  });

  it('creates each month once when runs race, across the year end', async () => {
    const scheduler = app.get(JobScheduler);
    const asOf = new Date('2026-12-01T00:00:00Z');

    const results = await Promise.all([1, 2, 3].map(() => scheduler.runNow(job, asOf)));

    expect(results.map((result) => result.outcome)).toEqual([
      'succeeded',
      'succeeded',
      'succeeded',
    ]);
    const created = results.flatMap((result) => result.result['created'] as string[]);
    expect(created).toEqual(['p202612', 'p202701', 'p202702', 'p202703']);
    expect(results.map((result) => result.result['partitions'])).toEqual([17, 17, 17]);
    expect((await partitions()).at(-2)).toEqual({ name: 'p202703', bound: "'2027-04-01'" });
  });
});
