import type { ServiceDataSourceSpec } from '@member-system/shared/database';

/** `ms_gateway` will hold audit records and idempotency replays; the schema exists from the start. */
export const gatewayDatabase: ServiceDataSourceSpec = {
  entities: [],
  migrations: [],
  migrationsTableName: 'gateway_migrations',
};
