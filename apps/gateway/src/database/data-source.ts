import type { ServiceDataSourceSpec } from '@member-system/shared/database';
import { AuditRecord } from '../audit/audit-record.entity';
import { CreateAuditRecord1764028800200 } from './migrations/1764028800200-create-audit-record';
import { CreateIdempotencyRecord1796601600000 } from './migrations/1796601600000-create-idempotency-record';

/** `ms_gateway`: the audit trail and the Idempotency-Key records. */
export const gatewayDatabase: ServiceDataSourceSpec = {
  entities: [AuditRecord],
  migrations: [CreateAuditRecord1764028800200, CreateIdempotencyRecord1796601600000],
  migrationsTableName: 'gateway_migrations',
};
