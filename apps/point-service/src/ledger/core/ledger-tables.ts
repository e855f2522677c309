// The ledger's tables as rows arrive from MySQL (BIGINT and DECIMAL as strings), one interface per
// table, so the schema can be read in code. Only the ledger core writes these tables
// (ledger-writers.spec.ts guards it); the migrations in database/migrations define them.

/** One per member: the four balances and the lifetime totals. */
export interface PointAccountRow {
  member_id: string;
  user_id: string;
  available: string;
  frozen: string;
  pending: string;
  held: string;
  debt: string;
  lifetime_earned: string;
  lifetime_used: string;
  lifetime_expired: string;
  created_at: Date;
  updated_at: Date;
}

/** A credit: what it gave, what is left of it, and when it expires. */
export interface PointLotRow {
  id: string;
  member_id: string;
  source: string;
  source_id: string;
  amount: string;
  remaining: string;
  earned_at: Date;
  available_from: Date;
  expires_at: Date;
  created_at: Date;
}

/** The append-only history (partitioned by month): one row per movement, signed. */
export interface PointTransactionRow {
  id: string;
  member_id: string;
  type: string;
  points: string;
  balance_after: string;
  frozen_after: string;
  held_after: string;
  debt_after: string;
  source: string;
  source_id: string;
  lot_id: string | null;
  expires_at: Date | null;
  note: string | null;
  created_at: Date;
}

/** What a spend (or a captured hold) took from each lot, to give the same lots back. */
export interface PointAllocationRow {
  transaction_id: string;
  lot_id: string;
  points: string;
}

/** A member's natural key (kind, key): each operation happens at most once. */
export interface PointOperationRow {
  member_id: string;
  kind: string;
  natural_key: string;
  transaction_id: string | null;
  result: unknown;
  created_at: Date;
}

/** The member an order id belongs to for spends and holds: the first to pay on it. */
export interface PointOrderOwnerRow {
  order_id: string;
  member_id: string;
  created_at: Date;
}

/** A checkout hold: points reserved for one order. */
export interface PointHoldRow {
  id: string;
  member_id: string;
  order_id: string;
  points: string;
  status: 'reserved' | 'captured' | 'released' | 'expired';
  expires_at: Date;
  settled_at: Date | null;
  created_at: Date;
}

export interface PointHoldAllocationRow {
  hold_id: string;
  lot_id: string;
  points: string;
}

/** Frozen points: a refund asked for, or an admin's freeze. */
export interface PointFreezeRow {
  id: string;
  member_id: string;
  points: string;
  status: 'frozen' | 'released' | 'reversed';
  reason: string;
  order_id: string | null;
  refund_id: string | null;
  amount_cents: string | null;
  frozen_until: Date | null;
  settled_at: Date | null;
  created_at: Date;
}

export interface PointFreezeAllocationRow {
  freeze_id: string;
  lot_id: string;
  points: string;
}

/** What an order earned, and how much of it its refunds took back. */
export interface PointOrderEarnRow {
  member_id: string;
  order_id: string;
  amount_cents: string;
  points: string;
  refunded_cents: string;
  reversed_points: string;
  created_at: Date;
}

/** The tables only the ledger core writes. */
export const LEDGER_TABLES = [
  'point_account',
  'point_lot',
  'point_transaction',
  'point_allocation',
  'point_operation',
  'point_order_owner',
  'point_hold',
  'point_hold_allocation',
  'point_freeze',
  'point_freeze_allocation',
  'point_order_earn',
] as const;
