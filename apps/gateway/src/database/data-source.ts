import type { ServiceDataSourceSpec } from '@member-system/shared/database';
import { AuditRecord } from '../audit/audit-record.entity';
import { CreateAuditRecord1764028800200 } from './migrations/1764028800200-create-audit-record';

/** `ms_gateway`: the audit trail, and later idempotency replays. */
export const gatewayDatabase: ServiceDataSourceSpec = {
  entities: [AuditRecord],
  migrations: [CreateAuditRecord1764028800200],
  migrationsTableName: 'gateway_migrations',
};
