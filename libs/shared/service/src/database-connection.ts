import { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import { serviceDataSourceOptions } from '@member-system/shared/database';
import type { BaseServiceConfig } from '@member-system/shared/config';
import type { ServiceDataSourceSpec } from '@member-system/shared/database';

export function mysqlSettingsOf(config: BaseServiceConfig) {
  return {
    host: config.MYSQL_HOST,
    port: config.MYSQL_PORT,
    username: config.MYSQL_USER,
    password: config.MYSQL_PASSWORD,
    database: config.MYSQL_DATABASE,
    poolSize: config.MYSQL_POOL_SIZE,
  };
}

/** Opens the service's pool, waiting for MySQL for a while at boot rather than crash-looping at once. */
export async function openDataSource(
  config: BaseServiceConfig,
  database: ServiceDataSourceSpec,
  logger: Logger,
  waitMs = 30_000,
): Promise<DataSource> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const dataSource = new DataSource(serviceDataSourceOptions(mysqlSettingsOf(config), database));
    try {
      return await dataSource.initialize();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      logger.warn({ err: error }, 'MySQL is not reachable yet, retrying');
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}

export function redisSettingsOf(config: BaseServiceConfig) {
  return {
    host: config.REDIS_HOST,
    port: config.REDIS_PORT,
    password: config.REDIS_PASSWORD,
    db: config.REDIS_DB,
    keyPrefix: config.REDIS_PREFIX,
  };
}
