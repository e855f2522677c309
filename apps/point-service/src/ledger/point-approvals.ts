import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ErrorCode } from '@member-system/contracts';
import type {
  Actor,
  AdjustPointsDto,
  Page,
  PointApprovalStatus,
  PointApprovalView,
} from '@member-system/contracts';
import { Keyset } from '@member-system/shared/database';
import { AppException } from '@member-system/shared/errors';

interface ApprovalRow {
  id: string;
  member_id: string;
  points: number;
  reason_code: string;
  note: string | null;
  status: PointApprovalStatus;
  requested_by: string;
  requested_at: Date;
  reviewed_by: string | null;
  reviewed_at: Date | null;
  review_note: string | null;
  transaction_id: string | null;
}

const COLUMNS = `id, member_id, points, reason_code, note, status, requested_by, requested_at,
  reviewed_by, reviewed_at, review_note, transaction_id`;

/** Newest first; with a status, served by ix_point_adjustment_approval_status. */
const NEWEST_FIRST = new Keyset<ApprovalRow>([{ column: 'id', kind: 'id' }], 'DESC', (row) => [
  String(row.id),
]);

/**
 * The requests of maker–checker adjustments (`point_adjustment_approval`). The ledger key of an
 * approved one is `approval:<id>`, which no admin's own request key (`<userId>:<key>`) can be.
 */
@Injectable()
export class PointApprovals {
  /** A request for the adjustment; the same request key (a retry) finds the first request. */
  async request(
    manager: EntityManager,
    request: {
      memberId: string;
      adjustment: AdjustPointsDto;
      admin: Actor;
      requestKey: string;
      at: Date;
    },
  ): Promise<PointApprovalView> {
    const { adjustment } = request;
    await manager.query(
      `INSERT IGNORE INTO point_adjustment_approval
         (member_id, points, reason_code, note, requested_by, request_key, requested_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
      [
        request.memberId,
        adjustment.points,
        adjustment.reasonCode,
        adjustment.note ?? null,
        request.admin.userId,
        request.requestKey,
        request.at,
      ],
    );
    const [row] = await manager.query<ApprovalRow[]>(
      `SELECT ${COLUMNS} FROM point_adjustment_approval WHERE request_key = ?`,
      [request.requestKey],
    );
    if (!row) throw new Error(`approval request ${request.requestKey} vanished`);
    return viewOf(row);
  }

  /**
   * The request, locked until the transaction ends, ready for `reviewer` to decide: 404 when there
   * is none, 403 APPROVAL_SELF_REVIEW for its requester, 409 APPROVAL_NOT_PENDING once decided.
   * The lock makes a second, concurrent review wait and then find it decided.
   */
  async lockForReview(
    manager: EntityManager,
    id: string,
    reviewer: Actor,
  ): Promise<PointApprovalView> {
    const [row] = await manager.query<ApprovalRow[]>(
      `SELECT ${COLUMNS} FROM point_adjustment_approval WHERE id = ? FOR UPDATE`,
      [id],
    );
    if (!row) throw notFound(id);
    if (row.requested_by === reviewer.userId) {
      throw new AppException(
        ErrorCode.ApprovalSelfReview,
        'An adjustment is approved or rejected by an admin other than the one who requested it',
        { id },
      );
    }
    if (row.status !== 'pending') {
      throw new AppException(
        ErrorCode.ApprovalNotPending,
        `Approval request ${id} is ${row.status}`,
        {
          id,
          status: row.status,
        },
      );
    }
    return viewOf(row);
  }

  /** Records the decision on a request locked by `lockForReview`. */
  async decide(
    manager: EntityManager,
    id: string,
    decision: {
      status: 'approved' | 'rejected';
      reviewer: Actor;
      note?: string;
      at: Date;
      transactionId?: string;
    },
  ): Promise<PointApprovalView> {
    await manager.query(
      `UPDATE point_adjustment_approval
          SET status = ?, reviewed_by = ?, reviewed_at = ?, review_note = ?, transaction_id = ?
        WHERE id = ? AND status = 'pending'`,
      [
        decision.status,
        decision.reviewer.userId,
        decision.at,
        decision.note ?? null,
        decision.transactionId || null,
        id,
      ],
    );
    return this.get(manager, id);
  }

  async get(manager: Pick<EntityManager, 'query'>, id: string): Promise<PointApprovalView> {
    const [row] = await manager.query<ApprovalRow[]>(
      `SELECT ${COLUMNS} FROM point_adjustment_approval WHERE id = ?`,
      [id],
    );
    if (!row) throw notFound(id);
    return viewOf(row);
  }

  async list(
    manager: Pick<EntityManager, 'query'>,
    query: { status?: PointApprovalStatus; limit: number; cursor?: string },
  ): Promise<Page<PointApprovalView>> {
    const after = query.cursor === undefined ? undefined : NEWEST_FIRST.after(query.cursor);
    const where = [...(query.status ? ['status = ?'] : []), ...(after ? [after.sql] : [])];
    const rows = await manager.query<ApprovalRow[]>(
      `SELECT ${COLUMNS} FROM point_adjustment_approval
        ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY ${NEWEST_FIRST.orderBy} LIMIT ?`,
      [...(query.status ? [query.status] : []), ...(after?.params ?? []), query.limit + 1],
    );
    return NEWEST_FIRST.page(rows, query.limit, viewOf);
  }
}

/** The ledger key of an approved request's adjustment. */
export function approvalSourceId(id: string): string {
  return `approval:${id}`;
}

function notFound(id: string): AppException {
  return new AppException(ErrorCode.PointApprovalNotFound, `No approval request ${id}`, { id });
}

function viewOf(row: ApprovalRow): PointApprovalView {
  return {
    id: String(row.id),
    memberId: String(row.member_id),
    points: Number(row.points),
    reasonCode: row.reason_code,
    note: row.note,
    status: row.status,
    requestedBy: row.requested_by,
    requestedAt: row.requested_at.toISOString(),
    reviewedBy: row.reviewed_by,
    reviewedAt: row.reviewed_at ? row.reviewed_at.toISOString() : null,
    reviewNote: row.review_note,
    transactionId: row.transaction_id === null ? null : String(row.transaction_id),
  };
}
