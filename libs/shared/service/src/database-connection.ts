import { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import { serviceDataSourceOptions } from '@member-system/shared/database';
import type { BaseServiceConfig } from '@member-system/shared/config';
import type { MysqlSettings, ServiceDataSourceSpec } from '@member-system/shared/database';

export function mysqlSettingsOf(config: BaseServiceConfig): MysqlSettings {
  return {
    host: config.MYSQL_HOST,
    port: config.MYSQL_PORT,
    username: config.MYSQL_USER,
    password: config.MYSQL_PASSWORD,
    database: config.MYSQL_DATABASE,
    poolSize: config.MYSQL_POOL_SIZE,
  };
}

/** The replica's settings (its user and password default to the primary's), or undefined without one. */
export function replicaSettingsOf(config: BaseServiceConfig): MysqlSettings | undefined {
  if (!config.MYSQL_REPLICA_HOST) return undefined;
  return {
    host: config.MYSQL_REPLICA_HOST,
    port: config.MYSQL_REPLICA_PORT,
    username: config.MYSQL_REPLICA_USER || config.MYSQL_USER,
    password: config.MYSQL_REPLICA_PASSWORD || config.MYSQL_PASSWORD,
    database: config.MYSQL_DATABASE,
    poolSize: config.MYSQL_REPLICA_POOL_SIZE,
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
