import type { DataSourceOptions, MixedList, EntitySchema } from 'typeorm';
import { createConnection } from 'mysql2/promise';

export interface MysqlSettings {
  host: string;
  port: number;
  username: string;
  password: string;
  database: string;
  poolSize?: number;
}

export interface ServiceDataSourceSpec {
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function | string>;
  /** Each service keeps its own migration history table. */
  migrationsTableName: string;
}

/**
 * TypeORM options for one service's schema. `type: 'mysql'` works against MySQL 8 and MariaDB
 * 10.11; times are stored in UTC; BIGINT and DECIMAL come back as strings (see bigintTransformer).
 */
export function serviceDataSourceOptions(
  mysql: MysqlSettings,
  spec: ServiceDataSourceSpec,
): DataSourceOptions {
  return {
    type: 'mysql',
    host: mysql.host,
    port: mysql.port,
    username: mysql.username,
    password: mysql.password,
    database: mysql.database,
    charset: 'utf8mb4_unicode_ci',
    timezone: 'Z',
    supportBigNumbers: true,
    bigNumberStrings: true,
    dateStrings: false,
    synchronize: false,
    migrationsRun: false,
    entities: spec.entities,
    migrations: spec.migrations,
    migrationsTableName: spec.migrationsTableName,
    poolSize: mysql.poolSize ?? 10,
    extra: { connectTimeout: 5000, enableKeepAlive: true },
  };
}

/** Creates the service's schema if it is missing (first start, or a test's own schema). */
export async function ensureDatabase(mysql: MysqlSettings): Promise<void> {
  if (!/^[A-Za-z0-9_]+$/.test(mysql.database)) {
    throw new Error(`Schema name "${mysql.database}" may hold only letters, digits and _`);
  }
  const connection = await createConnection({
    host: mysql.host,
    port: mysql.port,
    user: mysql.username,
    password: mysql.password,
    connectTimeout: 5000,
  });
  try {
    await connection.query(
      `CREATE DATABASE IF NOT EXISTS \`${mysql.database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
    );
  } finally {
    await connection.end();
  }
}

export async function dropDatabase(mysql: MysqlSettings): Promise<void> {
  if (!/^[A-Za-z0-9_]+$/.test(mysql.database)) throw new Error('bad schema name');
  const connection = await createConnection({
    host: mysql.host,
    port: mysql.port,
    user: mysql.username,
    password: mysql.password,
  });
  try {
    await connection.query(`DROP DATABASE IF EXISTS \`${mysql.database}\``);
  } finally {
    await connection.end();
  }
}
