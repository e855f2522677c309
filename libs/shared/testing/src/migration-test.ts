import type { MigrationInterface } from 'typeorm';
import type { ServiceDataSourceSpec } from '@member-system/shared/database';
import type { IntegrationEnv } from './integration-env';
import { openIntegrationEnv } from './integration-env';

/**
 * A schema migrated up to, not including, `migration`: the state an upgrade finds, for a test
 * that writes data the old way and then runs the migration on it.
 */
export function openIntegrationEnvBefore(
  database: ServiceDataSourceSpec,
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migration: Function,
): Promise<IntegrationEnv> {
  const migrations = Object.values(database.migrations);
  return openIntegrationEnv({
    ...database,
    migrations: migrations.slice(0, migrations.indexOf(migration)),
  });
}

/** Runs one step of a migration on the env's schema, as the migration runner would. */
export async function runMigration(
  env: IntegrationEnv,
  migration: MigrationInterface,
  step: 'up' | 'down',
): Promise<void> {
  const runner = env.dataSource.createQueryRunner();
  try {
    await migration[step](runner);
  } finally {
    await runner.release();
  }
}
