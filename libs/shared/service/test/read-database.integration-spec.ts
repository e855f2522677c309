// ReadDatabase against a real MariaDB primary and a GTID replica of it: which server answers, and
// that no read returns a row older than the primary's when the read began.
import pino from 'pino';
import { Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { serviceDataSourceOptions } from '@member-system/shared/database';
import type { MysqlSettings, ServiceDataSourceSpec } from '@member-system/shared/database';
import { startReplicaPair, waitFor } from '@member-system/shared/testing';
import type { ReplicaPair } from '@member-system/shared/testing';
import { ReadDatabase } from '../src/read-database';
import { Replica, ReplicaMetrics } from '../src/replica';

const SCHEMA = 'notes';
const PRIMARY_ID = 1;
const REPLICA_ID = 2;
const spec: ServiceDataSourceSpec = {
  entities: [],
  migrations: [],
  migrationsTableName: 'migrations',
};

interface NoteRead {
  body: string | null;
  server: number;
}

let pair: ReplicaPair;
let primary: DataSource;
let replica: Replica;
let registry: Registry;
let logs: Array<{ level: number; msg: string; reason?: string }>;
let sut: ReadDatabase;
let nextId = 0;

function settingsOf(server: { host: string; port: number }): MysqlSettings {
  return { host: server.host, port: server.port, username: 'root', password: '', database: SCHEMA };
}

/** The note's body (null when the server has no such row) and the server that answered. */
async function readNote(id: number): Promise<NoteRead> {
  const rows = await sut.query<Array<{ body: string | null; server: number }>>(
    'SELECT (SELECT body FROM note WHERE id = ?) AS body, @@server_id AS server',
    [id],
  );
  const row = rows[0];
  if (!row) throw new Error('no answer');
  return { body: row.body, server: Number(row.server) };
}

async function writeNote(body: string): Promise<number> {
  nextId += 1;
  await primary.query('INSERT INTO note (id, body) VALUES (?, ?)', [nextId, body]);
  return nextId;
}

async function fallbacks(reason: string): Promise<number> {
  const metric = await registry.getSingleMetric('member_db_replica_fallback_total')?.get();
  return metric?.values.find((value) => value.labels['reason'] === reason)?.value ?? 0;
}

async function servingGauge(): Promise<number | undefined> {
  const metric = await registry.getSingleMetric('member_db_replica_serving')?.get();
  return metric?.values[0]?.value;
}

beforeAll(async () => {
  pair = await startReplicaPair();
  const admin = await pair.primary.connect();
  await admin.query(`CREATE DATABASE ${SCHEMA}`);
  await admin.query(`CREATE TABLE ${SCHEMA}.note (id INT PRIMARY KEY, body VARCHAR(100))`);
  await admin.end();
  await pair.synced();
  primary = await new DataSource(
    serviceDataSourceOptions(settingsOf(pair.primary), spec),
  ).initialize();
  registry = new Registry();
  logs = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => logs.push(JSON.parse(line)) });
  replica = new Replica(
    primary,
    settingsOf(pair.replica),
    spec,
    { maxLagMs: 1000, checkEveryMs: 200 },
    logger,
    new ReplicaMetrics(registry),
  );
  sut = new ReadDatabase(primary, replica);
  await replica.start();
});

afterAll(async () => {
  await sut?.close();
  await primary?.destroy();
  await pair?.stop();
});

describe(ReadDatabase.name, () => {
  it('serves a read from the replica', async () => {
    const replicaOnly = await pair.replica.connect();
    await replicaOnly.query(
      `INSERT INTO ${SCHEMA}.note (id, body) VALUES (1000000, 'replica only')`,
    );
    await replicaOnly.end();

    await expect(readNote(1000000)).resolves.toEqual({ body: 'replica only', server: REPLICA_ID });
    await expect(servingGauge()).resolves.toBe(1);
  });

  it('reads a write on the primary right after it, from the replica', async () => {
    for (let round = 0; round < 20; round += 1) {
      const id = await writeNote(`write ${round}`);
      await expect(readNote(id)).resolves.toEqual({ body: `write ${round}`, server: REPLICA_ID });
    }
  });

  it('reads from the primary while replication is stopped, and from the replica once it runs', async () => {
    await pair.stopReplication();
    const id = await writeNote('written while replication is stopped');

    // The first read may find the replica still in service: it waits for the bound, then goes
    // to the primary. Never the replica's stale answer.
    await expect(readNote(id)).resolves.toEqual({
      body: 'written while replication is stopped',
      server: PRIMARY_ID,
    });
    await waitFor(() => !replica.serving, { timeoutMs: 5000, what: 'the replica out of service' });
    const downBefore = await fallbacks('down');
    await expect(readNote(id)).resolves.toEqual({
      body: 'written while replication is stopped',
      server: PRIMARY_ID,
    });
    await expect(fallbacks('down')).resolves.toBe(downBefore + 1);
    await expect(servingGauge()).resolves.toBe(0);
    expect(logs).toContainEqual(
      expect.objectContaining({
        level: 40,
        reason: 'down',
        msg: expect.stringMatching(/out of service/),
      }),
    );

    await pair.startReplication();
    await waitFor(() => replica.serving, { timeoutMs: 5000, what: 'the replica back in service' });
    await expect(readNote(id)).resolves.toEqual({
      body: 'written while replication is stopped',
      server: REPLICA_ID,
    });
    expect(logs).toContainEqual(
      expect.objectContaining({ level: 40, msg: 'MySQL replica serving reads' }),
    );
  });

  it('answers from the primary while the replica is killed, and from the replica once it is back', async () => {
    await pair.killReplica();
    const id = await writeNote('written while the replica is down');

    await expect(readNote(id)).resolves.toEqual({
      body: 'written while the replica is down',
      server: PRIMARY_ID,
    });
    await waitFor(() => !replica.serving, { timeoutMs: 5000, what: 'the replica out of service' });
    await expect(readNote(id)).resolves.toEqual({
      body: 'written while the replica is down',
      server: PRIMARY_ID,
    });

    await pair.restartReplica();
    await waitFor(() => replica.serving, {
      timeoutMs: 10_000,
      what: 'the replica back in service',
    });
    await expect(readNote(id)).resolves.toEqual({
      body: 'written while the replica is down',
      server: REPLICA_ID,
    });
  });

  it('goes to the primary when the replica cannot catch up within the bound', async () => {
    // Replication running but its applier stopped: the replica answers, behind the primary.
    const control = await pair.replica.connect();
    await control.query('STOP SLAVE SQL_THREAD');
    const id = await writeNote('written while the replica lags');
    const timeoutsBefore = await fallbacks('timeout');
    const downBefore = await fallbacks('down');

    await expect(readNote(id)).resolves.toEqual({
      body: 'written while the replica lags',
      server: PRIMARY_ID,
    });
    // Either the read waited for the bound, or the health check had already taken the replica out.
    expect((await fallbacks('timeout')) + (await fallbacks('down'))).toBe(
      timeoutsBefore + downBefore + 1,
    );

    await control.query('START SLAVE SQL_THREAD');
    await control.end();
    await waitFor(() => replica.serving, { timeoutMs: 5000, what: 'the replica back in service' });
  });
});
