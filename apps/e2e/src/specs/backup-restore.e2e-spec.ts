// Backups proven by restoring them: a fleet of the spec's own on a MariaDB with binary logging on
// is filled through the API, backed up (full, then binlogs), wiped and restored by backup/'s scripts.
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Connection } from 'mysql2/promise';
import type { BalanceView } from '@member-system/contracts';
import type { RunningApp } from '@member-system/shared/testing';
import {
  FLEET_APPS,
  deleteRedisKeys,
  deleteVhost,
  stopApp,
  testInfra,
  waitFor,
} from '@member-system/shared/testing';
import type { ApiOptions, ApiResponse, Method } from '../support/api';
import { api, memberToken, nextUserId, token } from '../support/api';
import type { BackupSettings } from '../support/backup-scripts';
import {
  backupScriptSucceeds,
  runBackupScript,
  schemaChecksums,
  waitForQuietSchemas,
} from '../support/backup-scripts';
import { runToEnd } from '../support/admin-jobs';
import { publishPlatformEvent } from '../support/events';
import type { FleetInfo } from '../support/fleet';
import { schemaOf, startFleet, startFleetApps } from '../support/fleet';
import type { PrivateMariadb } from '../support/private-mariadb';
import { startPrivateMariadb } from '../support/private-mariadb';

interface Member {
  userId: string;
  memberId: string;
  bearer: string;
  /** What the member can spend once every operation so far has landed. */
  available: number;
}

/** A balance without the parts computed from the clock at reading time. */
type Balance = Omit<BalanceView, 'expiringSoon'> & { expiringSoon: { points: number } };

interface JobRun {
  outcome: string;
  result: { accounts: number; drifted: number; samples: unknown[] };
}

const admin = token({
  sub: '1',
  roles: ['admin'],
  perms: ['points:adjust', 'members:read', 'system:write'],
});

let mariadb: PrivateMariadb | undefined;
let db: Connection;
let fleet: FleetInfo | undefined;
let apps: RunningApp[] = [];
let backupDir: string | undefined;
let settings: BackupSettings;
let schemas: string[];
let nextOrderId = BigInt(Date.now()) * 1000n;

const members: Member[] = [];
/** Registered after the full backup: only the binlogs know them. */
const lateMembers: Member[] = [];
let checksumsAtFull: Record<string, string>;
let balancesAtFull: Map<string, Balance>;
let checksumsAtIncremental: Record<string, string>;
let balancesAtIncremental: Map<string, Balance>;
let reconciliationAtIncremental: JobRun;

function orderId(): string {
  nextOrderId += 1n;
  return nextOrderId.toString();
}

async function call<T = Record<string, unknown>>(
  method: Method,
  path: string,
  options: ApiOptions = {},
): Promise<ApiResponse<T>> {
  return api<T>(method, path, { ...options, baseUrl: (fleet as FleetInfo).gatewayUrl });
}

/** A call that must answer `status`; anything else fails with what the gateway said. */
async function expectCall<T = Record<string, unknown>>(
  status: number,
  method: Method,
  path: string,
  options: ApiOptions = {},
): Promise<T> {
  const response = await call<T>(method, path, options);
  if (response.status !== status) {
    throw new Error(
      `${method} ${path} answered ${response.status}, not ${status}: ${response.text}`,
    );
  }
  return response.body;
}

async function register(): Promise<Member> {
  const userId = nextUserId();
  const bearer = memberToken(userId);
  const registered = await expectCall<{ id: string }>(201, 'POST', '/api/v1/members', {
    token: bearer,
    body: {},
  });
  await waitFor(
    async () => (await call('GET', '/api/v1/points/me/balance', { token: bearer })).status === 200,
    {
      timeoutMs: 15_000,
      intervalMs: 100,
      what: `the points account of member ${registered.id} to open`,
    },
  );
  return { userId, memberId: registered.id, bearer, available: 0 };
}

async function adjust(member: Member, points: number): Promise<void> {
  await expectCall(200, 'POST', `/api/v1/admin/members/${member.memberId}/points/adjust`, {
    token: admin,
    body: { points, reasonCode: 'COMPENSATION', note: 'Backup drill' },
  });
  member.available += points;
}

/** An order under 1000.00 keeps the member at Regular, so it earns floor(amount) points. */
async function completeOrder(member: Member, yuan: number): Promise<void> {
  await publishPlatformEvent(
    'order.completed.v1',
    {
      orderId: orderId(),
      userId: member.userId,
      amount: `${yuan}.00`,
      currency: 'CNY',
      completedAt: new Date().toISOString(),
    },
    { amqpUrl: (fleet as FleetInfo).amqpUrl },
  );
  member.available += yuan;
}

async function spend(member: Member, points: number): Promise<string> {
  const order = orderId();
  await expectCall(200, 'POST', '/api/v1/points/me/use', {
    token: member.bearer,
    body: { points, orderId: order },
  });
  member.available -= points;
  return order;
}

/** Waits until every member's balance shows what their operations add up to. */
async function settle(all: Member[]): Promise<void> {
  await Promise.all(
    all.map((member) =>
      waitFor(async () => (await readBalance(member))?.available === member.available, {
        timeoutMs: 20_000,
        intervalMs: 100,
        what: `member ${member.memberId} to have ${member.available} points`,
      }),
    ),
  );
}

async function readBalance(member: Member): Promise<Balance | undefined> {
  const response = await call<BalanceView>('GET', '/api/v1/points/me/balance', {
    token: member.bearer,
  });
  if (response.status === 404) return undefined;
  if (response.status !== 200)
    throw new Error(`balance answered ${response.status}: ${response.text}`);
  const { expiringSoon, ...rest } = response.body;
  return { ...rest, expiringSoon: { points: expiringSoon.points } };
}

async function readBalances(all: Member[]): Promise<Map<string, Balance>> {
  const balances = await Promise.all(
    all.map(async (member) => [member.memberId, await readBalance(member)] as const),
  );
  return new Map(balances.map(([id, balance]) => [id, balance as Balance]));
}

async function reconcile(): Promise<JobRun> {
  const job = await runToEnd('/api/v1/admin/jobs/reconcile-points/run', {
    token: admin,
    body: {},
    baseUrl: (fleet as FleetInfo).gatewayUrl,
  });
  if (job.status !== 'succeeded') {
    throw new Error(`reconcile-points ended ${job.status}: ${JSON.stringify(job.error)}`);
  }
  const run = job.result as unknown as JobRun;
  return { outcome: run.outcome, result: run.result };
}

async function stopFleet(): Promise<void> {
  await Promise.all(apps.map((app) => stopApp(app)));
  apps = [];
}

/** Starts the apps on whatever the schemas now hold, with none of the old cache entries. */
async function restartFleet(): Promise<void> {
  const info = fleet as FleetInfo;
  await deleteRedisKeys(`ms:${info.runId}:`);
  apps = await startFleetApps(info);
}

async function existingSchemas(): Promise<string[]> {
  const [rows] = await db.query(
    'SELECT schema_name AS name FROM information_schema.schemata WHERE schema_name IN (?)',
    [schemas],
  );
  return (rows as Array<{ name: string }>).map((row) => row.name);
}

beforeAll(async () => {
  mariadb = await startPrivateMariadb();
  db = await mariadb.connect();
  backupDir = await mkdtemp(join(tmpdir(), 'ms-backup-'));
  const started = await startFleet({
    env: {
      MYSQL_HOST: mariadb.host,
      MYSQL_PORT: String(mariadb.port),
      MYSQL_USER: 'root',
      MYSQL_PASSWORD: '',
    },
  });
  fleet = started.info;
  apps = started.apps;
  schemas = FLEET_APPS.map((app) => schemaOf(started.info.runId, app));
  settings = {
    mysql: { host: mariadb.host, port: mariadb.port, user: 'root', password: '' },
    schemas,
    backupDir,
    redis: testInfra.redis,
  };

  // Before the full backup: points given in every way the API has.
  members.push(...(await Promise.all(Array.from({ length: 30 }, () => register()))));
  await Promise.all(
    members.map(async (member, index) => {
      await adjust(member, 100 + index);
      if (index % 3 === 0) await completeOrder(member, 200 + index);
      if (index % 2 === 0) {
        await expectCall(201, 'POST', '/api/v1/points/me/check-in', { token: member.bearer });
        member.available += 5;
      }
      if (index % 5 === 1) {
        const order = await spend(member, 30);
        if (index % 10 === 1) {
          await publishPlatformEvent(
            'order.cancelled.v1',
            { orderId: order, userId: member.userId },
            { amqpUrl: (fleet as FleetInfo).amqpUrl },
          );
          member.available += 30;
        }
      }
      if (index % 7 === 2) {
        const hold = await expectCall<{ holdId: string }>(201, 'POST', '/api/v1/points/me/holds', {
          token: member.bearer,
          body: { points: 20, orderId: orderId(), ttlSeconds: 7 * 24 * 3600 },
        });
        member.available -= 20;
        if (index % 14 === 2) {
          await expectCall(200, 'POST', `/api/v1/points/me/holds/${hold.holdId}/capture`, {
            token: member.bearer,
          });
        }
      }
      if (index % 9 === 4) {
        await expectCall(200, 'POST', `/api/v1/admin/members/${member.memberId}/points/freeze`, {
          token: admin,
          body: { points: 10, reason: 'Backup drill' },
        });
        member.available -= 10;
      }
    }),
  );
  await settle(members);
  balancesAtFull = await readBalances(members);
  checksumsAtFull = await waitForQuietSchemas(db, schemas);
  await backupScriptSucceeds('member-backup', ['full'], settings);

  // After it: changes only the archived binlogs hold (new members, new and updated rows).
  lateMembers.push(...(await Promise.all(Array.from({ length: 3 }, () => register()))));
  await Promise.all([
    ...lateMembers.map((member) => adjust(member, 70)),
    ...members.map(async (member, index) => {
      if (index % 4 === 0) await adjust(member, 50 + index);
      if (index % 6 === 3) await completeOrder(member, 80);
      if (index % 5 === 0) await spend(member, 15);
      if (index % 8 === 5) await adjust(member, -5);
    }),
  ]);
  await settle([...members, ...lateMembers]);
  balancesAtIncremental = await readBalances([...members, ...lateMembers]);
  reconciliationAtIncremental = await reconcile();
  checksumsAtIncremental = await waitForQuietSchemas(db, schemas);
  await backupScriptSucceeds('member-backup', ['incremental'], settings);

  // The wipe.
  await stopFleet();
  for (const schema of schemas) await db.query(`DROP DATABASE \`${schema}\``);
}, 150_000);

afterAll(async () => {
  const failures: unknown[] = [];
  const attempt = async (step: () => Promise<unknown>): Promise<void> => {
    await step().catch((error: unknown) => failures.push(error));
  };
  await attempt(stopFleet);
  await attempt(async () => db?.end());
  await attempt(async () => mariadb?.stop());
  if (fleet) {
    const { vhost, runId } = fleet;
    await attempt(() => deleteVhost(vhost));
    await attempt(() => deleteRedisKeys(`ms:${runId}:`));
  }
  if (backupDir) {
    const dir = backupDir;
    await attempt(() => rm(dir, { recursive: true, force: true }));
  }
  if (failures.length > 0) throw failures[0];
}, 60_000);

describe('member-restore', () => {
  it('refuses to run without an explicit confirmation, and touches no schema', async () => {
    const refused = await runBackupScript('member-restore', [], settings);

    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('--yes');
    expect(await existingSchemas()).toEqual([]);
  });

  it('with --no-binlogs, brings back exactly the state the full backup was taken in', async () => {
    await backupScriptSucceeds('member-restore', ['--yes', '--no-binlogs'], settings);

    expect(await schemaChecksums(db, schemas)).toEqual(checksumsAtFull);
    await restartFleet();
    try {
      expect(await readBalances(members)).toEqual(balancesAtFull);
      for (const member of lateMembers) expect(await readBalance(member)).toBeUndefined();
    } finally {
      await stopFleet();
    }
  }, 90_000);

  it('replays the archived binlogs onto the full backup: every balance and the reconciliation result are as before the wipe, and new writes work', async () => {
    await backupScriptSucceeds('member-restore', ['--yes'], settings);

    expect(await schemaChecksums(db, schemas)).toEqual(checksumsAtIncremental);
    await restartFleet();
    try {
      expect(await readBalances([...members, ...lateMembers])).toEqual(balancesAtIncremental);
      expect(reconciliationAtIncremental.result).toMatchObject({ accounts: 33, drifted: 0 });
      expect(await reconcile()).toEqual(reconciliationAtIncremental);

      const [first] = members as [Member];
      await adjust(first, 7);
      await completeOrder(first, 9);
      const newcomer = await register();
      await adjust(newcomer, 11);
      await settle([first, newcomer]);
    } finally {
      await stopFleet();
    }
  }, 90_000);
});

describe('member-backup', () => {
  it('snapshots Redis into an RDB file under BACKUP_DIR/redis', async () => {
    await backupScriptSucceeds('member-backup', ['redis'], settings);

    const files = await readdir(join(backupDir as string, 'redis'));
    expect(files).toEqual([expect.stringMatching(/^\d{8}T\d{6}Z\.rdb$/)]);
    const rdb = await readFile(join(backupDir as string, 'redis', files[0] as string));
    expect(rdb.subarray(0, 5).toString('latin1')).toBe('REDIS');
  });

  it('refuses an incremental backup, saying why, when the server has binary logging off', async () => {
    const refused = await runBackupScript('member-backup', ['incremental'], {
      ...settings,
      mysql: {
        host: testInfra.mysql.host,
        port: testInfra.mysql.port,
        user: testInfra.mysql.username,
        password: testInfra.mysql.password,
      },
    });

    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('binary logging is off');
  });
});
