import { createHash } from 'node:crypto';

/** `attempted` is written before an admin write runs; its outcome follows as a record of its own. */
export const AUDIT_OUTCOMES = ['attempted', 'succeeded', 'failed', 'refused'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

/** The `prev_hash` of the first record. */
export const GENESIS_HASH = '0'.repeat(64);

/** What a record's hash covers: every column but its id and the two hashes. */
export interface AuditFields {
  occurredAt: Date;
  operatorUserId: string;
  action: string;
  targetMemberId: string | null;
  beforeJson: string | null;
  afterJson: string | null;
  ip: string | null;
  userAgent: string | null;
  correlationId: string;
  outcome: AuditOutcome;
}

/** JSON with object keys sorted at every depth, so equal values always give equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value)) ?? 'null';
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value instanceof Date) return value.toISOString();
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  return Object.fromEntries(
    Object.keys(record)
      .sort()
      .filter((key) => record[key] !== undefined)
      .map((key) => [key, sortKeys(record[key])]),
  );
}

/** sha256 over the previous hash and the record's canonical JSON, as hex. */
export function chainHash(prevHash: string, fields: AuditFields): string {
  const canonical = canonicalJson({ ...fields, occurredAt: fields.occurredAt.toISOString() });
  return createHash('sha256').update(prevHash).update(canonical).digest('hex');
}
