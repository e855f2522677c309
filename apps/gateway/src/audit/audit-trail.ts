import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Actor } from '@member-system/contracts';
import { withTransaction } from '@member-system/shared/database';
import { correlationIdOf } from '../http/request-correlation';
import type { AuditFields, AuditOutcome } from './audit-chain';
import { GENESIS_HASH, canonicalJson, chainHash } from './audit-chain';

/** Actions the gateway audits (docs/architecture.md, "Security": every admin write and PII reveal). */
export const AuditAction = {
  RevealMemberPii: 'member.reveal-pii',
  EraseMember: 'member.erase',
} as const;

export interface AuditEntry {
  action: string;
  operator: Pick<Actor, 'userId' | 'ip' | 'userAgent'>;
  targetMemberId?: string | null;
  /** State before and after, as JSON. Never PII: the trail outlives an erasure. */
  before?: unknown;
  after?: unknown;
  outcome: AuditOutcome;
  /** Defaults to the correlation id of the operator's request. */
  correlationId?: string;
  occurredAt?: Date;
}

export interface AuditRecordRef {
  id: string;
  hash: string;
}

export type AuditChainReport =
  | { valid: true; records: number; lastHash: string }
  | { valid: false; records: number; brokenAtId: string | null; reason: string };

interface AuditRow {
  id: string;
  occurred_at: Date;
  operator_user_id: string;
  action: string;
  target_member_id: string | null;
  before_json: string | null;
  after_json: string | null;
  ip: string | null;
  user_agent: string | null;
  correlation_id: string;
  outcome: AuditFields['outcome'];
  prev_hash: string;
  hash: string;
}

/**
 * The gateway's append-only audit trail in `ms_gateway`. Each record carries the hash of the one
 * before it and its own hash over that and its content, so editing, removing or reordering a
 * record breaks the chain, which `verify()` finds. Appends take the chain head's row lock, so
 * they form one line however many gateway replicas write at once.
 */
@Injectable()
export class AuditTrail {
  constructor(private readonly dataSource: DataSource) {}

  async record(entry: AuditEntry): Promise<AuditRecordRef> {
    // Milliseconds only: what DATETIME(3) keeps is what the hash must cover.
    const occurredAt = new Date(Math.floor((entry.occurredAt ?? new Date()).getTime()));
    const fields: AuditFields = {
      occurredAt,
      operatorUserId: entry.operator.userId,
      action: entry.action,
      targetMemberId: entry.targetMemberId ?? null,
      beforeJson: entry.before === undefined ? null : canonicalJson(entry.before),
      afterJson: entry.after === undefined ? null : canonicalJson(entry.after),
      ip: entry.operator.ip ?? null,
      userAgent: entry.operator.userAgent?.slice(0, 256) ?? null,
      correlationId: entry.correlationId ?? correlationIdOf(entry.operator),
      outcome: entry.outcome,
    };
    return withTransaction(this.dataSource, async (manager) => {
      const [head] = await manager.query<Array<{ last_hash: string }>>(
        'SELECT last_hash FROM audit_chain_head WHERE id = 1 FOR UPDATE',
      );
      if (!head) throw new Error('the audit chain head is missing: run the gateway migrations');
      const hash = chainHash(head.last_hash, fields);
      const inserted = await manager.query<{ insertId: number | string }>(
        `INSERT INTO audit_record
           (occurred_at, operator_user_id, action, target_member_id, before_json, after_json,
            ip, user_agent, correlation_id, outcome, prev_hash, hash)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          fields.occurredAt,
          fields.operatorUserId,
          fields.action,
          fields.targetMemberId,
          fields.beforeJson,
          fields.afterJson,
          fields.ip,
          fields.userAgent,
          fields.correlationId,
          fields.outcome,
          head.last_hash,
          hash,
        ],
      );
      const id = String(inserted.insertId);
      await manager.query(
        'UPDATE audit_chain_head SET last_hash = ?, last_record_id = ? WHERE id = 1',
        [hash, id],
      );
      return { id, hash };
    });
  }

  /**
   * Walks the whole chain in id order and recomputes every hash. The first record whose content,
   * link or position does not match is reported; so are records cut off the end.
   */
  async verify(batchSize = 500): Promise<AuditChainReport> {
    let prevHash = GENESIS_HASH;
    let afterId = '0';
    let records = 0;
    for (;;) {
      const rows = await this.dataSource.query<AuditRow[]>(
        'SELECT * FROM audit_record WHERE id > ? ORDER BY id LIMIT ?',
        [afterId, batchSize],
      );
      for (const row of rows) {
        if (row.prev_hash !== prevHash) {
          return {
            valid: false,
            records,
            brokenAtId: row.id,
            reason: 'a record before it is missing or was changed',
          };
        }
        if (chainHash(prevHash, fieldsOf(row)) !== row.hash) {
          return { valid: false, records, brokenAtId: row.id, reason: 'the record was changed' };
        }
        prevHash = row.hash;
        afterId = row.id;
        records += 1;
      }
      if (rows.length < batchSize) break;
    }
    const [head] = await this.dataSource.query<Array<{ last_hash: string }>>(
      'SELECT last_hash FROM audit_chain_head WHERE id = 1',
    );
    if (head?.last_hash !== prevHash) {
      return { valid: false, records, brokenAtId: null, reason: 'records at the end are missing' };
    }
    return { valid: true, records, lastHash: prevHash };
  }
}

function fieldsOf(row: AuditRow): AuditFields {
  return {
    occurredAt: row.occurred_at,
    operatorUserId: String(row.operator_user_id),
    action: row.action,
    targetMemberId: row.target_member_id === null ? null : String(row.target_member_id),
    beforeJson: row.before_json,
    afterJson: row.after_json,
    ip: row.ip,
    userAgent: row.user_agent,
    correlationId: row.correlation_id,
    outcome: row.outcome,
  };
}
