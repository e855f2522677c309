import { BaseServiceConfig, parseDelays } from './base-service.config';
import { loadConfig } from './load-config';

class OverridingConfig extends BaseServiceConfig {
  override HTTP_PORT = 8080;
  override MYSQL_DATABASE = 'point_service';
}

describe(loadConfig.name, () => {
  const sut = loadConfig;

  it('applies every default when the environment is empty', () => {
    const config = sut(BaseServiceConfig, {});

    expect(config).toBeInstanceOf(BaseServiceConfig);
    expect(config).toMatchObject({
      NODE_ENV: 'development',
      LOG_LEVEL: 'info',
      HTTP_PORT: 3000,
      HTTP_HOST: '0.0.0.0',
      MYSQL_HOST: '127.0.0.1',
      MYSQL_PORT: 3306,
      MYSQL_PASSWORD: '',
      MYSQL_DATABASE: 'member_system',
      MYSQL_POOL_SIZE: 10,
      MYSQL_REPLICA_HOST: '',
      MYSQL_REPLICA_PORT: 3306,
      MYSQL_REPLICA_POOL_SIZE: 10,
      MYSQL_REPLICA_MAX_LAG_MS: 1000,
      REDIS_PORT: 6379,
      REDIS_DB: 0,
      REDIS_PREFIX: 'ms:',
      RPC_TIMEOUT_MS: 5000,
      EVENT_MAX_ATTEMPTS: 5,
      EVENT_RETRY_DELAYS_MS: '1000,5000,30000,120000',
      OUTBOX_RELAY_ENABLED: true,
      BUSINESS_TIME_ZONE: 'Asia/Shanghai',
      ALLOW_CLOCK_OVERRIDE: false,
      JOBS_ENABLED: true,
    });
  });

  it('keeps the defaults an app overrides', () => {
    expect(sut(OverridingConfig, {})).toMatchObject({
      HTTP_PORT: 8080,
      MYSQL_DATABASE: 'point_service',
    });
    expect(sut(OverridingConfig, { HTTP_PORT: '9000' }).HTTP_PORT).toBe(9000);
  });

  it('converts numbers from their strings', () => {
    const config = sut(BaseServiceConfig, {
      HTTP_PORT: '8081',
      MYSQL_POOL_SIZE: '25',
      REDIS_DB: '3',
    });

    expect(config.HTTP_PORT).toBe(8081);
    expect(config.MYSQL_POOL_SIZE).toBe(25);
    expect(config.REDIS_DB).toBe(3);
  });

  it('keeps strings as given', () => {
    const config = sut(BaseServiceConfig, { MYSQL_PASSWORD: '12345', REDIS_PREFIX: 'test:' });

    expect(config.MYSQL_PASSWORD).toBe('12345');
    expect(config.REDIS_PREFIX).toBe('test:');
  });

  it('treats an empty value as unset', () => {
    const config = sut(BaseServiceConfig, {
      HTTP_PORT: '',
      MYSQL_DATABASE: '',
      OUTBOX_RELAY_ENABLED: '',
    });

    expect(config.HTTP_PORT).toBe(3000);
    expect(config.MYSQL_DATABASE).toBe('member_system');
    expect(config.OUTBOX_RELAY_ENABLED).toBe(true);
  });

  it.each([
    ['HTTP_PORT', 'abc'],
    ['HTTP_PORT', '70000'],
    ['HTTP_PORT', '-1'],
    ['HTTP_PORT', '80.5'],
    ['MYSQL_POOL_SIZE', '0'],
    ['MYSQL_REPLICA_PORT', '0'],
    ['MYSQL_REPLICA_POOL_SIZE', '0'],
    ['MYSQL_REPLICA_MAX_LAG_MS', '-1'],
    ['MYSQL_REPLICA_MAX_LAG_MS', '1.5'],
    ['RPC_TIMEOUT_MS', '50'],
    ['NODE_ENV', 'staging'],
    ['LOG_LEVEL', 'verbose'],
  ])('stops with a message naming %s when it is %p', (name, value) => {
    expect(() => sut(BaseServiceConfig, { [name]: value })).toThrow(`${name}="${value}"`);
  });

  it('names every bad variable at once', () => {
    let message = '';
    try {
      sut(BaseServiceConfig, { HTTP_PORT: 'abc', REDIS_PORT: 'x' });
    } catch (error) {
      message = error instanceof Error ? error.message : String(error);
    }

    expect(message).toContain('HTTP_PORT');
    expect(message).toContain('REDIS_PORT');
    expect(message).not.toContain('MYSQL_PORT');
  });

  it.each([
    ['false', false],
    ['true', true],
    ['FALSE', false],
    ['True', true],
    ['0', false],
    ['1', true],
    ['no', false],
    ['yes', true],
    ['off', false],
    ['on', true],
  ])('reads OUTBOX_RELAY_ENABLED=%s as %p', (value, expected) => {
    expect(sut(BaseServiceConfig, { OUTBOX_RELAY_ENABLED: value }).OUTBOX_RELAY_ENABLED).toBe(
      expected,
    );
  });

  it('enables the outbox relay when OUTBOX_RELAY_ENABLED is unset', () => {
    expect(sut(BaseServiceConfig, {}).OUTBOX_RELAY_ENABLED).toBe(true);
  });

  // A typo must stop the boot like any bad value, not silently switch the relay off.
  it('stops with a message naming OUTBOX_RELAY_ENABLED when it is not a boolean', () => {
    expect(() => sut(BaseServiceConfig, { OUTBOX_RELAY_ENABLED: 'ture' })).toThrow(
      /OUTBOX_RELAY_ENABLED/,
    );
  });
});

describe(parseDelays.name, () => {
  const sut = parseDelays;

  it('reads comma-separated milliseconds in order', () => {
    expect(sut('1000,5000,30000,120000')).toEqual([1000, 5000, 30000, 120000]);
  });

  it('ignores spaces around each delay', () => {
    expect(sut(' 1000 , 5000 ')).toEqual([1000, 5000]);
  });

  it('reads a single delay and a zero delay', () => {
    expect(sut('250')).toEqual([250]);
    expect(sut('0')).toEqual([0]);
  });

  it.each(['abc', '1000,abc', '1000,-5', '1.5', '1000;5000'])(
    'rejects %p with a message naming EVENT_RETRY_DELAYS_MS',
    (value) => {
      expect(() => sut(value)).toThrow(/EVENT_RETRY_DELAYS_MS/);
    },
  );

  // Number('') is 0, so a missing delay reads as "retry at once" instead of being refused.
  it.each(['', ' ', '1000,,5000', '1000,'])('rejects %p, which has an empty delay', (value) => {
    expect(() => sut(value)).toThrow(/EVENT_RETRY_DELAYS_MS/);
  });
});
