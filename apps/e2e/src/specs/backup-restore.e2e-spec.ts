// Backups proven by restoring them: a fleet of the spec's own on a MariaDB with binary logging on
// is filled through the API, backed up (full, then binlogs: encrypted with age, and copied to an
// rclone remote that is a local directory here), wiped and restored by backup/'s scripts, from the
// backup volume and from the off-cluster copy alone.
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
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
  ageKeyPair,
  backupScriptSucceeds,
  decryptWith,
  filesUnder,
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
/** The off-cluster copy (an rclone `local` remote) and the age keys. */
let offsiteDir: string | undefined;
let keysDir: string | undefined;
let identityFile: string;
let wrongIdentityFile: string;
/** What the backup jobs get: recipients and the remote, never the identity. */
let settings: BackupSettings;
/** What a restore gets as well: the identity. */
let restoreSettings: BackupSettings;
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

function withIdentity(file: string): BackupSettings {
  return { ...settings, env: { ...settings.env, BACKUP_AGE_IDENTITY_FILE: file } };
}

/** The backup volume lost: an empty directory in its place. */
async function loseLocalBackups(): Promise<void> {
  await rm(backupDir as string, { recursive: true, force: true });
  await mkdir(backupDir as string);
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
  offsiteDir = await mkdtemp(join(tmpdir(), 'ms-backup-offsite-'));
  keysDir = await mkdtemp(join(tmpdir(), 'ms-backup-keys-'));
  const keys = await ageKeyPair(keysDir, 'identity.txt');
  identityFile = keys.identityFile;
  wrongIdentityFile = (await ageKeyPair(keysDir, 'wrong-identity.txt')).identityFile;
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
    env: {
      BACKUP_AGE_RECIPIENTS: keys.recipient,
      BACKUP_REMOTE: `offsite:${offsiteDir}/member-system`,
      RCLONE_CONFIG_OFFSITE_TYPE: 'local',
    },
  };
  restoreSettings = withIdentity(identityFile);

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
  for (const dir of [backupDir, offsiteDir, keysDir]) {
    if (dir) await attempt(() => rm(dir, { recursive: true, force: true }));
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
    await backupScriptSucceeds('member-restore', ['--yes', '--no-binlogs'], restoreSettings);

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
    await backupScriptSucceeds('member-restore', ['--yes'], restoreSettings);

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
  it('snapshots Redis into an encrypted RDB file under BACKUP_DIR/redis', async () => {
    await backupScriptSucceeds('member-backup', ['redis'], settings);

    const files = await readdir(join(backupDir as string, 'redis'));
    expect(files).toEqual([expect.stringMatching(/^\d{8}T\d{6}Z\.rdb\.age$/)]);
    const rdb = await decryptWith(
      identityFile,
      join(backupDir as string, 'redis', files[0] as string),
    );
    expect(rdb.subarray(0, 5).toString('latin1')).toBe('REDIS');
  });

  it('fails, saying so, when the copy off the cluster fails; the next run copies what is missing', async () => {
    const remoteSnapshots = join(offsiteDir as string, 'member-system/redis');
    const failed = await runBackupScript('member-backup', ['redis'], {
      ...settings,
      env: { ...settings.env, BACKUP_REMOTE: 'unconfigured:member-system' },
    });

    expect(failed.code).not.toBe(0);
    expect(failed.stderr).toContain('the backup is not off the cluster');
    const local = await readdir(join(backupDir as string, 'redis'));
    expect(local).toHaveLength(2);
    expect(await readdir(remoteSnapshots)).toHaveLength(1);

    await backupScriptSucceeds('member-backup', ['redis'], settings);

    const copied = await readdir(remoteSnapshots);
    expect(copied).toHaveLength(3);
    expect(copied).toEqual(expect.arrayContaining(local));
  });

  it('refuses to copy backups off the cluster unencrypted', async () => {
    const refused = await runBackupScript('member-backup', ['redis'], {
      ...settings,
      env: { ...settings.env, BACKUP_AGE_RECIPIENTS: '' },
    });

    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('backups leave the cluster only encrypted');
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

describe('the off-cluster copy', () => {
  const remoteRoot = (): string => join(offsiteDir as string, 'member-system');

  it('holds every backup file, and nothing a reader without the identity can read', async () => {
    const remoteFiles = await filesUnder(remoteRoot());
    expect(remoteFiles).toEqual(await filesUnder(backupDir as string));
    expect(remoteFiles).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^mysql\/full\/\d{8}T\d{6}Z\/manifest\.tsv$/),
        expect.stringMatching(/^mysql\/full\/\d{8}T\d{6}Z\/.+\.sql\.gz\.age$/),
        expect.stringMatching(/^mysql\/binlog\/binlog\.\d+\.age$/),
        expect.stringMatching(/^redis\/\d{8}T\d{6}Z\.rdb\.age$/),
      ]),
    );
    // The adjustments' note is in the binlogs' row events as plain text: a control that the
    // search would find it in any file that were not encrypted.
    const [binlog] = remoteFiles.filter((file) => file.startsWith('mysql/binlog/'));
    const plainBinlog = await decryptWith(identityFile, join(remoteRoot(), binlog as string));
    expect(plainBinlog.includes('Backup drill')).toBe(true);
    for (const file of remoteFiles) {
      const contents = await readFile(join(remoteRoot(), file));
      if (file.endsWith('/manifest.tsv')) {
        // Names, checksums and binlog coordinates only.
        expect(contents.toString('utf8')).not.toMatch(/INSERT|CREATE|Backup drill/);
        continue;
      }
      expect(contents.subarray(0, 22).toString('latin1')).toBe('age-encryption.org/v1\n');
      expect(contents.includes('Backup drill')).toBe(false);
    }
  });

  it('refuses a wrong identity before touching any schema', async () => {
    const before = await schemaChecksums(db, schemas);
    await loseLocalBackups();

    const refused = await runBackupScript(
      'member-restore',
      ['--yes', '--from-remote'],
      withIdentity(wrongIdentityFile),
    );

    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('cannot be decrypted');
    expect(refused.stderr).toContain('no identity matched');
    expect(await schemaChecksums(db, schemas)).toEqual(before);
  });

  it('restores from the remote alone, the backup volume lost: every table and balance as before the wipe', async () => {
    await loseLocalBackups();
    for (const schema of schemas) await db.query(`DROP DATABASE \`${schema}\``);

    await backupScriptSucceeds('member-restore', ['--yes', '--from-remote'], restoreSettings);

    expect(await schemaChecksums(db, schemas)).toEqual(checksumsAtIncremental);
    await restartFleet();
    try {
      expect(await readBalances([...members, ...lateMembers])).toEqual(balancesAtIncremental);
    } finally {
      await stopFleet();
    }
  }, 90_000);

  it('refuses a damaged remote file by its checksum, before touching any schema', async () => {
    const before = await schemaChecksums(db, schemas);
    const dump = (await filesUnder(remoteRoot())).find((file) => file.endsWith('.sql.gz.age'));
    const path = join(remoteRoot(), dump as string);
    const contents = await readFile(path);
    const damaged = Buffer.from(contents);
    damaged[damaged.length >> 1] = (damaged[damaged.length >> 1] as number) ^ 0x01;
    await writeFile(path, damaged);
    await loseLocalBackups();

    const refused = await runBackupScript(
      'member-restore',
      ['--yes', '--from-remote'],
      restoreSettings,
    );

    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('does not match its checksum in the manifest');
    expect(await schemaChecksums(db, schemas)).toEqual(before);
  });

  it('is pruned by the same retention, judged by what it holds: the volume lost, older backups and the binlogs only they need go', async () => {
    const remoteBinlogs = async (): Promise<string[]> =>
      (await filesUnder(remoteRoot()))
        .filter((file) => file.startsWith('mysql/binlog/'))
        .map((file) => basename(file, '.age'));
    const binlogsBefore = await remoteBinlogs();
    await loseLocalBackups();

    await backupScriptSucceeds('member-backup', ['full'], {
      ...settings,
      env: { ...settings.env, BACKUP_RETENTION_DAYS: '0' },
    });

    const remoteFiles = await filesUnder(remoteRoot());
    const backups = [
      ...new Set(
        remoteFiles.filter((file) => file.startsWith('mysql/full/')).map((f) => f.split('/')[2]),
      ),
    ];
    expect(backups).toHaveLength(1);
    const manifest = await readFile(
      join(remoteRoot(), 'mysql/full', backups[0] as string, 'manifest.tsv'),
      'utf8',
    );
    const [start] = manifest
      .split('\n')
      .filter((line) => line.startsWith('schema\t'))
      .map((line) => line.split('\t')[4] as string)
      .sort();
    expect(binlogsBefore.some((binlog) => binlog < (start as string))).toBe(true);
    for (const binlog of await remoteBinlogs()) expect(binlog >= (start as string)).toBe(true);
  });
});
