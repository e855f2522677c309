// Reads from a MariaDB replica through the whole fleet: a fleet of the spec's own on a primary with
// a GTID replica, point-service's history pages read there, fresh after the member's own writes,
// and still answered by the primary while replication is stopped or the replica is down.
import type { Connection } from 'mysql2/promise';
import type { Page, PointTransactionView } from '@member-system/contracts';
import type { ReplicaPair, RunningApp } from '@member-system/shared/testing';
import {
  deleteRedisKeys,
  deleteVhost,
  startReplicaPair,
  stopApp,
  waitFor,
} from '@member-system/shared/testing';
import type { ApiOptions, ApiResponse, Method } from '../support/api';
import { api, memberToken, metricValue, nextUserId } from '../support/api';
import type { FleetInfo } from '../support/fleet';
import { schemaOf, startFleet } from '../support/fleet';

const REPLICA_ONLY = 'replica-only';

let pair: ReplicaPair | undefined;
let fleet: FleetInfo | undefined;
let apps: RunningApp[] = [];
let bearer: string;
let nextOrderId = BigInt(Date.now()) * 1000n;

async function call<T = Record<string, unknown>>(
  method: Method,
  path: string,
  options: ApiOptions = {},
): Promise<ApiResponse<T>> {
  return api<T>(method, path, { ...options, baseUrl: (fleet as FleetInfo).gatewayUrl });
}

/** The first ten rows of the member's history as `type points sourceId`, read from the database (not the first-page cache). */
async function history(): Promise<string[]> {
  const response = await call<Page<PointTransactionView>>(
    'GET',
    '/api/v1/points/me/transactions?limit=10',
    { token: bearer },
  );
  if (response.status !== 200)
    throw new Error(`history answered ${response.status}: ${response.text}`);
  return response.body.items.map((item) => `${item.type} ${item.points} ${item.sourceId}`);
}

async function spend(points: number): Promise<string> {
  nextOrderId += 1n;
  const orderId = nextOrderId.toString();
  const response = await call('POST', '/api/v1/points/me/use', {
    token: bearer,
    body: { points, orderId },
  });
  if (response.status !== 200)
    throw new Error(`spend answered ${response.status}: ${response.text}`);
  return orderId;
}

async function fallbacks(): Promise<number> {
  return metricValue(
    (fleet as FleetInfo).ports['point-service'],
    'member_db_replica_fallback_total',
  );
}

interface Readiness {
  status: number;
  body: {
    info?: Record<string, { status: string }>;
    details?: Record<string, { status: string }>;
  };
}

async function readiness(): Promise<Readiness> {
  const port = (fleet as FleetInfo).ports['point-service'];
  const response = await fetch(`http://127.0.0.1:${port}/health/ready`);
  return { status: response.status, body: (await response.json()) as Readiness['body'] };
}

/** Waits until the history is read from the replica again: it shows the replica's own row. */
async function servedByReplicaAgain(): Promise<string[]> {
  return waitFor(
    async () => {
      const rows = await history();
      return rows.some((row) => row.endsWith(REPLICA_ONLY)) ? rows : false;
    },
    { timeoutMs: 20_000, intervalMs: 200, what: 'the history to be read from the replica again' },
  );
}

beforeAll(async () => {
  pair = await startReplicaPair();
  const started = await startFleet({
    env: {
      MYSQL_HOST: pair.primary.host,
      MYSQL_PORT: String(pair.primary.port),
      MYSQL_USER: 'root',
      MYSQL_PASSWORD: '',
      MYSQL_REPLICA_HOST: pair.replica.host,
      MYSQL_REPLICA_PORT: String(pair.replica.port),
      MYSQL_REPLICA_MAX_LAG_MS: '1000',
    },
  });
  fleet = started.info;
  apps = started.apps;
  bearer = memberToken(nextUserId());
  const registered = await call('POST', '/api/v1/members', { token: bearer, body: {} });
  if (registered.status !== 201) throw new Error(`registration answered ${registered.status}`);
  await waitFor(
    async () => (await call('GET', '/api/v1/points/me/balance', { token: bearer })).status === 200,
    { timeoutMs: 15_000, intervalMs: 100, what: 'the points account to open' },
  );
});

afterAll(async () => {
  await Promise.all(apps.map((app) => stopApp(app)));
  if (fleet) {
    await deleteVhost(fleet.vhost);
    await deleteRedisKeys(`ms:${fleet.runId}:`);
  }
  await pair?.stop();
});

describe('history pages read from a MySQL replica', () => {
  it("shows a member's check-in and spend right after them, read from the replica", async () => {
    const checkIn = await call('POST', '/api/v1/points/me/check-in', { token: bearer });
    expect(checkIn.status).toBe(201);
    expect(await history()).toEqual([expect.stringMatching(/^earn 5 /)]);
    const order = await spend(3);
    expect(await history()).toEqual([`use -3 ${order}`, expect.stringMatching(/^earn 5 /)]);

    // A row only the replica has: the history shows it, so the replica answered.
    const replica: Connection = await (pair as ReplicaPair).replica.connect();
    try {
      await replica.query(`USE \`${schemaOf((fleet as FleetInfo).runId, 'point-service')}\``);
      await replica.query(
        `CREATE TEMPORARY TABLE witness AS
           SELECT * FROM point_transaction WHERE source_id = ? ORDER BY id DESC LIMIT 1`,
        [order],
      );
      await replica.query(
        'UPDATE witness SET id = id + 1000000000000, source_id = ?, created_at = created_at - INTERVAL 1 DAY',
        [REPLICA_ONLY],
      );
      await replica.query('INSERT INTO point_transaction SELECT * FROM witness');
    } finally {
      await replica.end();
    }
    expect(await history()).toEqual([
      `use -3 ${order}`,
      expect.stringMatching(/^earn 5 /),
      `use -3 ${REPLICA_ONLY}`,
    ]);
    // The replica's pool is in member_db_connections beside the primary's.
    const port = (fleet as FleetInfo).ports['point-service'];
    expect(await metricValue(port, 'member_db_connections', { role: 'replica' })).toBeGreaterThan(
      0,
    );
    expect((await readiness()).body.info?.mysql_replica?.status).toBe('up');
  });

  it('answers fresh from the primary while replication is stopped, then from the replica again', async () => {
    await (pair as ReplicaPair).stopReplication();
    const before = await fallbacks();
    const order = await spend(1);

    const rows = await history();
    expect(rows[0]).toBe(`use -1 ${order}`);
    expect(rows).not.toContainEqual(expect.stringMatching(REPLICA_ONLY));
    expect(await fallbacks()).toBeGreaterThan(before);

    await (pair as ReplicaPair).startReplication();
    expect((await servedByReplicaAgain())[0]).toBe(`use -1 ${order}`);
  });

  it('answers fresh from the primary while the replica is down, then from the replica again', async () => {
    await (pair as ReplicaPair).killReplica();
    const order = await spend(1);
    // Readiness shows the replica down, and point-service stays ready: reads go to the primary.
    const ready = await waitFor(
      async () => {
        const answer = await readiness();
        return answer.body.details?.mysql_replica?.status === 'down' ? answer : false;
      },
      { timeoutMs: 20_000, intervalMs: 200, what: 'readiness to show the replica down' },
    );
    expect(ready.status).toBe(200);

    const rows = await history();
    expect(rows[0]).toBe(`use -1 ${order}`);
    expect(rows).not.toContainEqual(expect.stringMatching(REPLICA_ONLY));

    await (pair as ReplicaPair).restartReplica();
    expect((await servedByReplicaAgain())[0]).toBe(`use -1 ${order}`);
  });
});
