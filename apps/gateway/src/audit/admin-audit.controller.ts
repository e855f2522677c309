import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuditQueryDto, AuditRecordPage, PAGE_LIMIT_DEFAULT } from '@member-system/contracts';
import type { AuditRecordView, Page } from '@member-system/contracts';
import { Keyset } from '@member-system/shared/database';
import { validateDto } from '@member-system/shared/errors';
import { RequirePermission } from '@member-system/shared/security';
import { DataSource } from 'typeorm';
import { AuditTrail } from './audit-trail';
import type { AuditChainReport } from './audit-trail';

interface Row {
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
  outcome: AuditRecordView['outcome'];
  hash: string;
}

/** Newest first: the order records were appended in. */
const NEWEST_FIRST = new Keyset<Row>([{ column: 'id', kind: 'id' }], 'DESC', (row) => [
  String(row.id),
]);

/** The audit trail, for auditors (`audit:read`). */
@ApiTags('admin')
@ApiBearerAuth()
@Controller('admin/audit')
export class AdminAuditController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditTrail,
  ) {}

  @Get()
  @RequirePermission('audit:read')
  @ApiOperation({
    summary: 'Audit records, newest first; filters memberId, operatorId, action, from, to',
  })
  @ApiOkResponse({ type: AuditRecordPage })
  async list(@Query() query: AuditQueryDto): Promise<Page<AuditRecordView>> {
    const filters = await validateDto(AuditQueryDto, query ?? {});
    const conditions: string[] = [];
    const values: unknown[] = [];
    const where = (condition: string, value: unknown): void => {
      conditions.push(condition);
      values.push(value);
    };
    if (filters.memberId) where('target_member_id = ?', filters.memberId);
    if (filters.operatorId) where('operator_user_id = ?', filters.operatorId);
    if (filters.action) where('action = ?', filters.action);
    if (filters.from) where('occurred_at >= ?', new Date(filters.from));
    if (filters.to) where('occurred_at < ?', new Date(filters.to));
    if (filters.cursor) {
      const after = NEWEST_FIRST.after(filters.cursor);
      conditions.push(after.sql);
      values.push(...after.params);
    }
    const limit = filters.limit ?? PAGE_LIMIT_DEFAULT;
    const rows = await this.dataSource.query<Row[]>(
      `SELECT id, occurred_at, operator_user_id, action, target_member_id, before_json, after_json,
              ip, user_agent, correlation_id, outcome, hash
         FROM audit_record ${conditions.length ? `WHERE ${conditions.join(' AND ')}` : ''}
        ORDER BY ${NEWEST_FIRST.orderBy} LIMIT ?`,
      [...values, limit + 1],
    );
    return NEWEST_FIRST.page(rows, limit, viewOf);
  }

  @Get('verify')
  @RequirePermission('audit:read')
  @ApiOperation({
    summary: 'Recomputes the hash chain: whether any record was changed, removed or reordered',
  })
  @ApiOkResponse({
    schema: {
      type: 'object',
      required: ['valid', 'records'],
      properties: {
        valid: { type: 'boolean' },
        records: { type: 'integer', description: 'Records checked' },
        lastHash: { type: 'string' },
        brokenAtId: { type: 'string', nullable: true },
        reason: { type: 'string' },
      },
      example: { valid: true, records: 5120, lastHash: '3f1c…' },
    },
  })
  verify(): Promise<AuditChainReport> {
    return this.audit.verify();
  }
}

function viewOf(row: Row): AuditRecordView {
  return {
    id: String(row.id),
    occurredAt: row.occurred_at.toISOString(),
    operatorId: String(row.operator_user_id),
    action: row.action,
    targetMemberId: row.target_member_id === null ? null : String(row.target_member_id),
    before: row.before_json === null ? null : (JSON.parse(row.before_json) as unknown),
    after: row.after_json === null ? null : (JSON.parse(row.after_json) as unknown),
    ip: row.ip,
    userAgent: row.user_agent,
    correlationId: row.correlation_id,
    outcome: row.outcome,
    hash: row.hash,
  };
}
