import type Redis from 'ioredis';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { RedisCircuit, createRedis } from '@member-system/shared/cache';
import { serviceDataSourceOptions } from '@member-system/shared/database';
import type { IntegrationEnv } from '@member-system/shared/testing';
import { TcpProxy, openIntegrationEnv, testInfra, waitFor } from '@member-system/shared/testing';
import { gatewayDatabase } from '../database/data-source';
import { IdempotencyStore } from './idempotency-store';

const IN_FLIGHT_MS = 60_000;
const RETENTION_MS = 3_600_000;

describe(IdempotencyStore.name, () => {
  let env: IntegrationEnv;
  let proxy: TcpProxy;
  let redis: Redis;
  let warn: jest.Mock;
  let keys = 0;

  /** A gateway instance's store; every instance shares the schema and the Redis prefix. */
  function gatewayInstance(): IdempotencyStore {
    const logger = { warn, info: jest.fn(), error: jest.fn() } as unknown as Logger;
    return new IdempotencyStore(
      env.dataSource,
      redis,
      new RedisCircuit({ timeoutMs: 250, openMs: 200 }),
      logger,
    );
  }

  const newKey = (): string => `idem:42:${env.runId}-${(keys += 1)}`;

  async function rowOf(key: string): Promise<Record<string, unknown> | undefined> {
    const rows = await env.dataSource.query<Array<Record<string, unknown>>>(
      'SELECT state, fingerprint, status, answer_json FROM idempotency_record WHERE record_key = ?',
      [key],
    );
    return rows[0];
  }

  beforeAll(async () => {
    env = await openIntegrationEnv(gatewayDatabase);
    proxy = new TcpProxy(testInfra.redis);
    const port = await proxy.start();
    redis = createRedis({
      ...testInfra.redis,
      port,
      password: '',
      db: 0,
      keyPrefix: `ms:${env.runId}:gw:`,
    });
    await waitFor(() => Promise.resolve(redis.status === 'ready'), { what: 'Redis' });
  });

  beforeEach(() => {
    warn = jest.fn();
  });

  afterEach(async () => {
    proxy.resume();
    if (!proxy.running) await proxy.start();
    await waitFor(() => Promise.resolve(redis.status === 'ready'), { what: 'Redis again' });
  });

  afterAll(async () => {
    redis.disconnect();
    await proxy.stop();
    await env.close();
  });

  it('lets exactly one of two instances claim a new key at once; the other sees the claim', async () => {
    const key = newKey();
    const [a, b] = [gatewayInstance(), gatewayInstance()];

    const outcomes = await Promise.all([
      a.begin(key, 'f1', IN_FLIGHT_MS),
      b.begin(key, 'f1', IN_FLIGHT_MS),
    ]);

    expect(outcomes.filter((outcome) => outcome === undefined)).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome !== undefined)).toEqual([
      { state: 'in-flight', fingerprint: 'f1' },
    ]);
    await expect(rowOf(key)).resolves.toMatchObject({ state: 'in-flight', fingerprint: 'f1' });
  });

  it('keeps the answer in MySQL and in Redis, and answers a replay from either', async () => {
    const key = newKey();
    const sut = gatewayInstance();
    await sut.begin(key, 'f1', IN_FLIGHT_MS);

    await sut.finish(
      key,
      { state: 'done', fingerprint: 'f1', body: { available: 7 } },
      RETENTION_MS,
    );

    await expect(rowOf(key)).resolves.toMatchObject({
      state: 'done',
      answer_json: '{"available":7}',
    });
    expect(JSON.parse((await redis.get(key)) ?? 'null')).toEqual({
      state: 'done',
      fingerprint: 'f1',
      body: { available: 7 },
    });
    await expect(gatewayInstance().begin(key, 'f1', IN_FLIGHT_MS)).resolves.toEqual({
      state: 'done',
      fingerprint: 'f1',
      body: { available: 7 },
    });
    await redis.del(key); // Redis lost it (evicted, restarted): MySQL still answers
    await expect(gatewayInstance().begin(key, 'f1', IN_FLIGHT_MS)).resolves.toEqual({
      state: 'done',
      fingerprint: 'f1',
      body: { available: 7 },
    });
  });

  it('claims, keeps and replays through MySQL alone while Redis hangs', async () => {
    const key = newKey();
    const sut = gatewayInstance();
    proxy.stall();

    await expect(sut.begin(key, 'f1', IN_FLIGHT_MS)).resolves.toBeUndefined();
    await expect(sut.begin(key, 'f1', IN_FLIGHT_MS)).resolves.toEqual({
      state: 'in-flight',
      fingerprint: 'f1',
    });
    const refusal = {
      state: 'failed' as const,
      fingerprint: 'f1',
      status: 422,
      error: { code: 'POINTS_INSUFFICIENT', message: 'Not enough points', details: { need: 5 } },
    };
    await sut.finish(key, refusal, RETENTION_MS);

    await expect(gatewayInstance().begin(key, 'f1', IN_FLIGHT_MS)).resolves.toEqual(refusal);
    await expect(rowOf(key)).resolves.toMatchObject({ state: 'failed', status: 422 });
  });

  it('claims a key while Redis is down, and one released after an unclear answer again', async () => {
    const key = newKey();
    const sut = gatewayInstance();
    await proxy.stop();

    await expect(sut.begin(key, 'f1', IN_FLIGHT_MS)).resolves.toBeUndefined();
    await sut.release(key);

    await expect(rowOf(key)).resolves.toBeUndefined();
    await expect(gatewayInstance().begin(key, 'f1', IN_FLIGHT_MS)).resolves.toBeUndefined();
  });

  it('takes over a claim whose in-flight time ran out', async () => {
    const key = newKey();
    await gatewayInstance().begin(key, 'f1', 1000);
    await env.dataSource.query(
      'UPDATE idempotency_record SET expires_at = NOW(3) - INTERVAL 1 SECOND WHERE record_key = ?',
      [key],
    );

    const outcomes = await Promise.all([
      gatewayInstance().begin(key, 'f2', IN_FLIGHT_MS),
      gatewayInstance().begin(key, 'f2', IN_FLIGHT_MS),
    ]);

    expect(outcomes.filter((outcome) => outcome === undefined)).toHaveLength(1);
    await expect(rowOf(key)).resolves.toMatchObject({ state: 'in-flight', fingerprint: 'f2' });
  });

  it('deletes expired records and keeps the others', async () => {
    const [expired, kept] = [newKey(), newKey()];
    const sut = gatewayInstance();
    await sut.begin(expired, 'f1', IN_FLIGHT_MS);
    await sut.begin(kept, 'f1', IN_FLIGHT_MS);
    await env.dataSource.query(
      'UPDATE idempotency_record SET expires_at = NOW(3) - INTERVAL 1 SECOND WHERE record_key = ?',
      [expired],
    );

    await expect(sut.deleteExpired()).resolves.toBeGreaterThanOrEqual(1);

    await expect(rowOf(expired)).resolves.toBeUndefined();
    await expect(rowOf(kept)).resolves.toMatchObject({ state: 'in-flight' });
  });

  it('refuses to claim a new key without its MySQL, but replays an answer Redis holds', async () => {
    const key = newKey();
    const answered = newKey();
    await gatewayInstance().begin(answered, 'f1', IN_FLIGHT_MS);
    await gatewayInstance().finish(
      answered,
      { state: 'done', fingerprint: 'f1', body: 1 },
      RETENTION_MS,
    );
    const mysqlProxy = new TcpProxy(testInfra.mysql);
    const mysqlPort = await mysqlProxy.start();
    const dataSource = await new DataSource(
      serviceDataSourceOptions(
        { ...testInfra.mysql, port: mysqlPort, database: env.schema },
        gatewayDatabase,
      ),
    ).initialize();
    const offline = new IdempotencyStore(
      dataSource,
      redis,
      new RedisCircuit({ timeoutMs: 250, openMs: 200 }),
      { warn } as unknown as Logger,
    );
    try {
      await mysqlProxy.stop();

      await expect(offline.begin(key, 'f1', IN_FLIGHT_MS)).rejects.toThrow();
      await expect(offline.begin(answered, 'f1', IN_FLIGHT_MS)).resolves.toEqual({
        state: 'done',
        fingerprint: 'f1',
        body: 1,
      });
    } finally {
      await dataSource.destroy().catch(() => undefined);
    }
  });
});
