import type Redis from 'ioredis';
import type { Logger } from 'pino';
import { RedisCircuit, createRedis } from '@member-system/shared/cache';
import { AppMetrics } from '@member-system/shared/observability';
import { deleteRedisKeys, newTestRunId, testInfra } from '@member-system/shared/testing';
import { GatewayConfig } from '../config/gateway.config';
import { READ_ONLY_ALERT, READ_ONLY_KEY, ReadOnlyMode } from './read-only-mode';

// Past the instances' one-second memory, so the next read goes to Redis.
const CACHE_PASSED_MS = 1100;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

interface Instance {
  mode: ReadOnlyMode;
  redis: Redis;
  metrics: AppMetrics;
  logger: { error: jest.Mock; warn: jest.Mock; info: jest.Mock };
}

describe(ReadOnlyMode.name, () => {
  const prefix = `ms:${newTestRunId()}:gw:`;
  const instances: Instance[] = [];

  /** One gateway instance's read-only mode; all share the prefix, as replicas share Redis. */
  async function gatewayInstance(autoSeconds = 60): Promise<Instance> {
    const redis = createRedis({ ...testInfra.redis, password: '', db: 0, keyPrefix: prefix });
    // No offline queue: a command sent before the connection is up fails.
    await new Promise((resolve) => redis.once('ready', resolve));
    const logger = { error: jest.fn(), warn: jest.fn(), info: jest.fn() };
    const config = Object.assign(new GatewayConfig(), { AUTO_READ_ONLY_SECONDS: autoSeconds });
    const metrics = new AppMetrics('gateway');
    const circuit = new RedisCircuit({ timeoutMs: 250, openMs: 2000 });
    const mode = new ReadOnlyMode(redis, circuit, logger as unknown as Logger, config, metrics);
    const instance = { mode, redis, metrics, logger };
    instances.push(instance);
    return instance;
  }

  const alertsRaised = (...all: Instance[]): unknown[] =>
    all.flatMap(({ logger }) =>
      logger.error.mock.calls.filter(([fields]) => (fields as { alert?: string }).alert),
    );
  const alertsResolved = (...all: Instance[]): unknown[] =>
    all.flatMap(({ logger }) =>
      logger.error.mock.calls.filter(
        ([fields]) => (fields as { alertResolved?: string }).alertResolved,
      ),
    );

  afterEach(async () => {
    for (const { redis } of instances.splice(0)) {
      if (redis.status !== 'end') await redis.quit();
    }
    await deleteRedisKeys(prefix);
  });

  it('is off when nothing was ever switched', async () => {
    await expect((await gatewayInstance()).mode.current()).resolves.toEqual({ enabled: false });
  });

  it("shares an admin's switch with every instance and alerts once, from the one that switched", async () => {
    const first = await gatewayInstance();
    const second = await gatewayInstance();
    await second.mode.current();

    await first.mode.switchByAdmin({ enabled: true, reason: 'failover drill', by: '9001' });
    await sleep(CACHE_PASSED_MS);

    await expect(second.mode.current()).resolves.toMatchObject({
      enabled: true,
      source: 'admin',
      reason: 'failover drill',
      by: '9001',
    });
    expect(alertsRaised(first, second)).toEqual([
      [
        expect.objectContaining({ alert: READ_ONLY_ALERT }),
        expect.stringContaining('read-only mode switched on (admin): failover drill'),
      ],
    ]);
  });

  it('switches off for every instance and resolves the alert once', async () => {
    const first = await gatewayInstance();
    const second = await gatewayInstance();
    await first.mode.switchByAdmin({ enabled: true, by: '9001' });

    await second.mode.switchByAdmin({ enabled: false, by: '9002' });

    await expect(second.mode.current()).resolves.toEqual({ enabled: false });
    await expect(first.mode.fresh()).resolves.toEqual({ enabled: false });
    await expect(first.redis.exists(READ_ONLY_KEY)).resolves.toBe(0);
    expect(alertsResolved(first, second)).toHaveLength(1);
  });

  it('switches on automatically when a service reports, and off by itself after the window', async () => {
    const first = await gatewayInstance(1);
    const second = await gatewayInstance(1);

    const state = await first.mode.reportUnwritable('member');

    expect(state).toMatchObject({
      enabled: true,
      source: 'automatic',
      by: 'member-service',
      reason: 'member-service reports its primary database unwritable',
    });
    await expect(second.mode.fresh()).resolves.toMatchObject({ source: 'automatic' });
    await sleep(CACHE_PASSED_MS);
    await expect(first.mode.current()).resolves.toEqual({ enabled: false });
    await expect(second.mode.current()).resolves.toEqual({ enabled: false });
    await expect(first.redis.exists(READ_ONLY_KEY)).resolves.toBe(0);
    expect(alertsRaised(first, second)).toHaveLength(1);
    expect(alertsResolved(first, second)).toEqual([
      [expect.objectContaining({ why: 'expired' }), expect.any(String)],
    ]);
  });

  it("does not turn an admin's mode into automatic mode that would end by itself", async () => {
    const instance = await gatewayInstance(1);
    await instance.mode.switchByAdmin({ enabled: true, by: '9001' });

    await instance.mode.reportUnwritable('point');
    await sleep(CACHE_PASSED_MS);

    await expect(instance.mode.current()).resolves.toMatchObject({
      enabled: true,
      source: 'admin',
      by: '9001',
    });
  });

  it("ends automatic mode with an admin's switch off", async () => {
    const instance = await gatewayInstance();
    await instance.mode.reportUnwritable('event');

    await instance.mode.switchByAdmin({ enabled: false, by: '9001' });

    await expect(instance.mode.fresh()).resolves.toEqual({ enabled: false });
  });

  it('keeps the last known state while Redis is unreachable', async () => {
    const instance = await gatewayInstance();
    await instance.mode.switchByAdmin({ enabled: true, by: '9001' });
    await instance.redis.quit();

    await sleep(CACHE_PASSED_MS);

    await expect(instance.mode.current()).resolves.toMatchObject({
      enabled: true,
      source: 'admin',
    });
    expect(instance.logger.warn).toHaveBeenCalledTimes(1);
  });

  it('refuses an admin switch with SERVICE_UNAVAILABLE while Redis is unreachable', async () => {
    const instance = await gatewayInstance();
    await instance.redis.quit();

    await expect(instance.mode.switchByAdmin({ enabled: true, by: '9001' })).rejects.toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      details: { dependency: 'redis' },
    });
  });

  it("goes read-only on a service's report even while Redis is unreachable, this instance only", async () => {
    const instance = await gatewayInstance();
    await instance.redis.quit();

    await instance.mode.reportUnwritable('point');

    await expect(instance.mode.current()).resolves.toMatchObject({
      enabled: true,
      source: 'automatic',
      by: 'point-service',
    });
    expect(alertsRaised(instance)).toHaveLength(1);
  });

  it('shows the mode as ms_gateway_read_only, 1 for the source holding it', async () => {
    const instance = await gatewayInstance();
    await instance.mode.switchByAdmin({ enabled: true, by: '9001' });

    const text = await instance.metrics.registry.metrics();

    expect(text).toMatch(/^ms_gateway_read_only\{source="admin",service="gateway"\} 1$/m);
    expect(text).toMatch(/^ms_gateway_read_only\{source="automatic",service="gateway"\} 0$/m);
  });
});
