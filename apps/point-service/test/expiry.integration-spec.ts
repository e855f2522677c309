import type { INestApplicationContext } from '@nestjs/common';
import { withTransaction } from '@member-system/shared/database';
import type { IntegrationEnv } from '@member-system/shared/testing';
import { openIntegrationEnv } from '@member-system/shared/testing';
import { pointDatabase } from '../src/database/data-source';
import { ExpirePointsCommand } from '../src/ledger/commands/expire-points/expire-points.command';
import { ExpirePointsHandler } from '../src/ledger/commands/expire-points/expire-points.handler';
import { Ledger } from '../src/ledger/core/ledger';
import { startPointService } from './point-service-kit';

let nextId = 7_000_000 + (Date.now() % 1_000_000);
const newId = (): string => String((nextId += 1));

describe(ExpirePointsHandler.name, () => {
  let env: IntegrationEnv;
  let app: INestApplicationContext;
  let sut: ExpirePointsHandler;

  beforeAll(async () => {
    env = await openIntegrationEnv(pointDatabase);
    app = await startPointService(env);
    sut = app.get(ExpirePointsHandler);
  });

  afterAll(async () => {
    await app.close();
    await env.close();
  });

  const member = (): { memberId: string; userId: string } => ({
    memberId: newId(),
    userId: newId(),
  });

  async function earn(
    account: { memberId: string; userId: string },
    points: number,
    at: string,
  ): Promise<void> {
    await withTransaction(env.dataSource, (manager) =>
      app.get(Ledger).credit(manager, account, {
        points,
        source: 'adjustment',
        sourceId: newId(),
        kind: 'earn:test',
        at: new Date(at),
      }),
    );
  }

  async function events(type: string, memberId: string): Promise<Array<Record<string, unknown>>> {
    const rows = await env.dataSource.query<Array<{ envelope: string }>>(
      'SELECT envelope FROM outbox_message WHERE event_type = ? ORDER BY id',
      [type],
    );
    return rows
      .map((row) => (JSON.parse(row.envelope) as { payload: Record<string, unknown> }).payload)
      .filter((payload) => payload['memberId'] === memberId);
  }

  async function account(memberId: string): Promise<Record<string, number>> {
    const [row] = await env.dataSource.query<Array<Record<string, string>>>(
      `SELECT a.available, a.lifetime_expired, a.lifetime_used, (SELECT SUM(remaining) FROM point_lot l WHERE l.member_id = a.member_id) AS lots
         FROM point_account a WHERE a.member_id = ?`,
      [memberId],
    );
    return Object.fromEntries(
      Object.entries(row ?? {}).map(([key, value]) => [key, Number(value)]),
    );
  }

  it('expires what remains of lots past their date, after spends took the earliest first, and only once', async () => {
    const ann = member();
    await earn(ann, 100, '2024-01-10T02:00:00Z'); // expires 2026-01-10, end of day in Shanghai
    await earn(ann, 100, '2024-06-10T02:00:00Z');
    await withTransaction(env.dataSource, (manager) =>
      app.get(Ledger).debit(manager, ann, {
        points: 30,
        source: 'order',
        sourceId: newId(),
        kind: 'use:order',
        at: new Date('2025-12-01T00:00:00Z'),
      }),
    );

    await expect(
      sut.execute(new ExpirePointsCommand(new Date('2026-01-10T15:59:00Z'))),
    ).resolves.toMatchObject({
      expiredPoints: 0,
    });
    const first = await sut.execute(new ExpirePointsCommand(new Date('2026-01-10T16:00:00Z')));
    const again = await sut.execute(new ExpirePointsCommand(new Date('2026-01-11T16:00:00Z')));

    expect(first).toMatchObject({ expiredPoints: 70 });
    expect(again).toMatchObject({ expiredPoints: 0 });
    expect(await account(ann.memberId)).toEqual({
      available: 100,
      lifetime_expired: 70,
      lifetime_used: 30,
      lots: 100,
    });
    expect(await events('points.expired.v1', ann.memberId)).toEqual([
      expect.objectContaining({
        points: 70,
        expiredAt: '2026-01-10T15:59:59.999Z',
        balanceAfter: 100,
      }),
    ]);
  });

  it('reminds once per lead time of points expiring soon', async () => {
    const bo = member();
    await earn(bo, 40, '2024-03-01T02:00:00Z'); // expires 2026-03-01 15:59:59.999Z

    await sut.execute(new ExpirePointsCommand(new Date('2026-01-15T00:00:00Z')));
    await sut.execute(new ExpirePointsCommand(new Date('2026-02-05T00:00:00Z')));
    await sut.execute(new ExpirePointsCommand(new Date('2026-02-06T00:00:00Z')));
    await sut.execute(new ExpirePointsCommand(new Date('2026-02-25T00:00:00Z')));
    await sut.execute(new ExpirePointsCommand(new Date('2026-02-26T00:00:00Z')));

    expect(
      (await events('points.expiring-soon.v1', bo.memberId)).map((event) => [
        event['leadDays'],
        event['points'],
      ]),
    ).toEqual([
      [30, 40],
      [7, 40],
    ]);
  });
});
