// The checks of a member's history, lots and balance against each other and against the model.
// Each check reports readable differences (what was expected, what the service shows) instead of
// stopping at the first one, so one run shows everything that went wrong.
import { BALANCE_FIELDS, MOVE_TYPES, VALUE_TYPES } from './model';
import type { Balance, BalanceField, MemberModel } from './model';

export const CHECK_NAMES = [
  /** Status, code and body of every answer, against the model. */
  'responses',
  /** An effect the model needs to go on (an order's earn) is visible once its events were handled. */
  'effects',
  /** Every platform event was handled (inbox), none left failing or parked. */
  'events',
  /** The balance view equals the model's, after every command and at the end. */
  'balance',
  /** earned − used − expired − reversed = available + frozen + held − debt, nothing negative. */
  'conservation',
  /** Σ lot remaining = available; + open freeze and reserved hold allocations = the three balances. */
  'lots',
  /** Every history row has the documented fields and a known type. */
  'history-shape',
  /** Each row's change of the balances matches its type and points; the newest row = the balance. */
  'history-chain',
  /** The history's value rows (and move totals) are the model's, each effect once. */
  'history-model',
  /** A row once seen never changes. */
  'history-immutable',
  /** Answers name only the caller's own data; refusals of another member's ids reveal nothing. */
  'isolation',
] as const;
export type CheckName = (typeof CHECK_NAMES)[number];

export type Report = (check: CheckName, detail: string) => void;

/** A history row as the gateway lists it. */
export interface HistoryRow {
  id: string;
  type: string;
  points: number;
  balanceAfter: number;
  frozenAfter?: number;
  heldAfter?: number;
  debtAfter?: number;
  source: string;
  sourceId: string;
  createdAt: string;
  expiresAt?: string;
}

const ALL_TYPES = [...VALUE_TYPES, ...MOVE_TYPES];
const AFTER_FIELDS = ['balanceAfter', 'frozenAfter', 'heldAfter', 'debtAfter'] as const;
/** The documented row: `{id, type, points, balanceAfter, frozenAfter, heldAfter, debtAfter, source, sourceId, createdAt, expiresAt?}`. */
const ROW_FIELDS = new Set<string>([
  'id',
  'type',
  'points',
  ...AFTER_FIELDS,
  'source',
  'sourceId',
  'createdAt',
  'expiresAt',
]);

export function checkBalance(expected: Balance, actual: Record<string, unknown>): string[] {
  return BALANCE_FIELDS.flatMap((field) =>
    actual[field] === expected[field]
      ? []
      : [`${field}: expected ${expected[field]}, actual ${JSON.stringify(actual[field])}`],
  );
}

export function checkConservation(
  balance: Record<string, unknown>,
  history: readonly HistoryRow[],
  report: Report,
): void {
  const value = (field: string): number => Number(balance[field] ?? NaN);
  for (const field of BALANCE_FIELDS) {
    if (!(value(field) >= 0)) report('conservation', `${field} is ${String(balance[field])}`);
  }
  const reversed = -history
    .filter((row) => row.type === 'reverse')
    .reduce((sum, row) => sum + row.points, 0);
  const left =
    value('lifetimeEarned') - value('lifetimeUsed') - value('lifetimeExpired') - reversed;
  const right = value('available') + value('frozen') + value('held') - value('debt');
  if (left !== right) {
    report(
      'conservation',
      `lifetimeEarned ${value('lifetimeEarned')} − lifetimeUsed ${value('lifetimeUsed')} − lifetimeExpired ${value('lifetimeExpired')} − reversed ${reversed} (Σ reverse rows) = ${left}, but available ${value('available')} + frozen ${value('frozen')} + held ${value('held')} − debt ${value('debt')} = ${right}`,
    );
  }
}

/** Lots against the balance (point-service's own tables). */
export function checkLots(
  balance: Record<string, unknown>,
  sums: { lots: number; freezes: number; holds: number },
  report: Report,
): void {
  const value = (field: string): number => Number(balance[field] ?? NaN);
  if (sums.lots !== value('available')) {
    report('lots', `Σ point_lot.remaining = ${sums.lots}, available = ${value('available')}`);
  }
  const inLots = sums.lots + sums.freezes + sums.holds;
  const total = value('available') + value('frozen') + value('held');
  if (inLots !== total) {
    report(
      'lots',
      `Σ remaining ${sums.lots} + open freeze allocations ${sums.freezes} + reserved hold allocations ${sums.holds} = ${inLots}, available + frozen + held = ${total}`,
    );
  }
}

export function checkHistoryShape(
  rows: ReadonlyArray<Record<string, unknown>>,
  report: Report,
): void {
  const problems = new Map<string, number>();
  const note = (problem: string): void => {
    problems.set(problem, (problems.get(problem) ?? 0) + 1);
  };
  for (const row of rows) {
    for (const field of ['id', 'type', 'source', 'sourceId', 'createdAt']) {
      if (typeof row[field] !== 'string') note(`${field} is ${describeMissing(row[field])}`);
    }
    for (const field of ['points', ...AFTER_FIELDS]) {
      if (!Number.isInteger(row[field])) note(`${field} is ${describeMissing(row[field])}`);
    }
    for (const field of Object.keys(row)) {
      if (!ROW_FIELDS.has(field)) note(`unexpected field ${field}`);
    }
    if (typeof row['type'] === 'string' && !ALL_TYPES.includes(row['type'])) {
      note(`type "${row['type']}" is none of ${ALL_TYPES.join(', ')}`);
    }
  }
  for (const [problem, count] of problems) {
    report('history-shape', `${count} of ${rows.length} rows: ${problem}`);
  }
}

function describeMissing(value: unknown): string {
  return value === undefined ? 'missing' : `${JSON.stringify(value)} (wrong type)`;
}

interface After {
  available: number | undefined;
  frozen: number | undefined;
  held: number | undefined;
  debt: number | undefined;
}

const afterOf = (row: HistoryRow): After => ({
  available: integerOr(row.balanceAfter),
  frozen: integerOr(row.frozenAfter),
  held: integerOr(row.heldAfter),
  debt: integerOr(row.debtAfter),
});

function integerOr(value: unknown): number | undefined {
  return Number.isInteger(value) ? (value as number) : undefined;
}

/**
 * What a row of each type does to (available, frozen, held, debt), given its signed points; for
 * `reverse`, only held is fixed and available + frozen − debt changes by its points.
 */
function expectedDeltas(type: string, n: number): Partial<Record<keyof After | 'total', number>> {
  switch (type) {
    case 'earn':
    case 'adjust':
    case 'use':
    case 'restore':
    case 'expire':
      return { available: n, frozen: 0, held: 0, debt: 0 };
    case 'capture':
      return { available: 0, frozen: 0, held: n, debt: 0 };
    case 'hold':
    case 'release':
      return { available: n, frozen: 0, held: -n, debt: 0 };
    case 'freeze':
    case 'unfreeze':
      return { available: n, frozen: -n, held: 0, debt: 0 };
    case 'repay':
      return { available: n, frozen: 0, held: 0, debt: n };
    case 'reverse':
      return { held: 0, total: n };
    default:
      return {};
  }
}

const describeRow = (row: HistoryRow): string =>
  `#${row.id} ${row.type} ${signed(row.points)} (${row.source} ${row.sourceId}) after ${[
    row.balanceAfter,
    row.frozenAfter,
    row.heldAfter,
    row.debtAfter,
  ]
    .map((value) => (value === undefined ? '?' : String(value)))
    .join('/')}`;

const signed = (points: number): string => (points > 0 ? `+${points}` : String(points));

/**
 * Walks the history oldest first from zero balances: each row changes the balances as its type
 * says, and the newest row's after-values are the balance. Fields a row lacks are not checked
 * (the shape check reports them).
 */
export function checkHistoryChain(
  oldestFirst: readonly HistoryRow[],
  balance: Record<string, unknown>,
  report: Report,
): void {
  let previous: After = { available: 0, frozen: 0, held: 0, debt: 0 };
  let shown = 0;
  let hidden = 0;
  for (const row of oldestFirst) {
    const after = afterOf(row);
    const delta = (field: keyof After): number | undefined => {
      const before = previous[field];
      const now = after[field];
      return before === undefined || now === undefined ? undefined : now - before;
    };
    const wrong: string[] = [];
    for (const [field, expected] of Object.entries(expectedDeltas(row.type, row.points))) {
      let actual: number | undefined;
      if (field === 'total') {
        const parts = [delta('available'), delta('frozen'), delta('debt')];
        actual = parts.some((part) => part === undefined)
          ? undefined
          : (parts[0] as number) + (parts[1] as number) - (parts[2] as number);
      } else {
        actual = delta(field as keyof After);
      }
      if (actual !== undefined && actual !== expected) {
        const name = field === 'total' ? 'Δ(available + frozen − debt)' : `Δ${field}`;
        wrong.push(`${name} ${actual}, expected ${expected}`);
      }
    }
    if (wrong.length > 0) {
      if (shown < 4) report('history-chain', `${describeRow(row)}: ${wrong.join('; ')}`);
      else hidden += 1;
      shown += 1;
    }
    previous = after;
  }
  if (hidden > 0) report('history-chain', `… and ${hidden} more rows that do not add up`);
  const newest = oldestFirst[oldestFirst.length - 1];
  const last = newest ? afterOf(newest) : { available: 0, frozen: 0, held: 0, debt: 0 };
  for (const field of ['available', 'frozen', 'held', 'debt'] as const) {
    const value = last[field];
    if (value !== undefined && value !== balance[field]) {
      report(
        'history-chain',
        `the newest row ${newest ? describeRow(newest) : '(none)'} leaves ${field} ${value}, the balance shows ${JSON.stringify(balance[field])}`,
      );
    }
  }
}

interface ValueRow {
  type: string;
  points: number;
  about: string;
}

/** Value rows in order, with consecutive expire rows (one per expiry date) as one. */
function valueRows(rows: ReadonlyArray<ValueRow>): ValueRow[] {
  const result: ValueRow[] = [];
  for (const row of rows) {
    if (!VALUE_TYPES.includes(row.type) && ALL_TYPES.includes(row.type)) continue;
    const last = result[result.length - 1];
    if (row.type === 'expire' && last?.type === 'expire') {
      result[result.length - 1] = { ...last, points: last.points + row.points };
    } else {
      result.push({ type: row.type, points: row.points, about: row.about });
    }
  }
  return result;
}

/**
 * The history against the model: the same value rows (earn, adjust, use, restore, expire, capture,
 * reverse) in the same order with the same points, so each effect happened once; and the same
 * totals of each move type (a refund completion's give-back may be its own unfreeze row or part
 * of its reverse row).
 */
export function checkHistoryAgainstModel(
  oldestFirst: readonly HistoryRow[],
  model: MemberModel,
  report: Report,
): void {
  const actual = valueRows(
    oldestFirst.map((row) => ({
      type: row.type,
      points: row.points,
      about: `${row.source} ${row.sourceId}`,
    })),
  );
  const expected = valueRows(model.rows);
  const text = (row: ValueRow | undefined): string =>
    row ? `${row.type} ${signed(row.points)} (${row.about})` : '—';
  const same = (a: ValueRow | undefined, b: ValueRow | undefined): boolean =>
    a !== undefined && b !== undefined && a.type === b.type && a.points === b.points;
  const first = Array.from({ length: Math.max(actual.length, expected.length) }, (_, i) => i).find(
    (i) => !same(actual[i], expected[i]),
  );
  if (first !== undefined) {
    const from = Math.max(0, first - 2);
    const to = Math.max(actual.length, expected.length, first + 1);
    const lines = [];
    for (let i = from; i < Math.min(to, from + 12); i += 1) {
      lines.push(
        `${i === first ? '>' : ' '} ${String(i + 1).padStart(3)}  model ${text(expected[i]).padEnd(44)} service ${text(actual[i])}`,
      );
    }
    report(
      'history-model',
      `value rows differ from row ${first + 1} (oldest first; model ${expected.length} rows, service ${actual.length}):\n${lines.join('\n')}`,
    );
  }
  const totalOf = (type: string): number =>
    oldestFirst.filter((row) => row.type === type).reduce((sum, row) => sum + row.points, 0);
  for (const type of ['hold', 'release', 'freeze', 'repay'] as const) {
    if (totalOf(type) !== model.total(type)) {
      report(
        'history-model',
        `Σ ${type} rows: model ${model.total(type)}, service ${totalOf(type)}`,
      );
    }
  }
  const rejected = model.total('unfreeze', { foldable: false });
  const settled = model.total('unfreeze', { foldable: true });
  const unfrozen = totalOf('unfreeze');
  if (unfrozen < rejected || unfrozen > rejected + settled) {
    report(
      'history-model',
      `Σ unfreeze rows ${unfrozen}: the model gives back ${rejected} on rejections${settled > 0 ? ` and ${settled} on completions (their own rows or part of the reverse rows)` : ''}`,
    );
  }
}

/** Rows seen before must be unchanged now; remembers the new ones. */
export function checkImmutable(
  rows: readonly HistoryRow[],
  seen: Map<string, string>,
  report: Report,
): void {
  const now = new Set<string>();
  for (const row of rows) {
    const json = JSON.stringify(row);
    now.add(row.id);
    const before = seen.get(row.id);
    if (before === undefined) seen.set(row.id, json);
    else if (before !== json)
      report('history-immutable', `row ${row.id} was ${before}, now ${json}`);
  }
  for (const [id, json] of seen) {
    if (!now.has(id)) report('history-immutable', `row ${id} disappeared (was ${json})`);
  }
}

/** Fields that would show a balance, and the balance each one shows. */
const BALANCE_KEYS: Record<string, BalanceField> = {
  balanceAfter: 'available',
  frozenAfter: 'frozen',
  heldAfter: 'held',
  debtAfter: 'debt',
  ...Object.fromEntries(BALANCE_FIELDS.map((field) => [field, field])),
};

/** What the refused caller and the member whose id they named are, for `leaksOf`. */
export interface LeakContext {
  /** The other member's ids: member, user, transactions and holds answered to them. */
  theirIds: ReadonlySet<string>;
  theirBalance: Balance;
  ownBalance: Balance;
  /** What the caller sent (the order or hold id): it may come back. */
  sent: ReadonlySet<string>;
}

/**
 * What a refusal reveals of another member: a string equal to one of their ids (ids travel as
 * strings; small numbers such as points would match a young fleet's member ids by chance), or a
 * balance field showing their balance (and not the caller's own). Empty when nothing.
 */
export function leaksOf(body: unknown, context: LeakContext): string[] {
  const found: string[] = [];
  const walk = (value: unknown, path: string, key: string | undefined): void => {
    if (Array.isArray(value)) {
      value.forEach((item, i) => walk(item, `${path}[${i}]`, undefined));
    } else if (value !== null && typeof value === 'object') {
      for (const [inner, innerValue] of Object.entries(value as Record<string, unknown>)) {
        walk(innerValue, `${path}.${inner}`, inner);
      }
    } else if (typeof value === 'string') {
      if (context.theirIds.has(value) && !context.sent.has(value)) {
        found.push(`${path} = ${JSON.stringify(value)} (the other member's id)`);
      }
    } else if (typeof value === 'number' && key !== undefined && key in BALANCE_KEYS) {
      const field = BALANCE_KEYS[key] as BalanceField;
      if (value === context.theirBalance[field] && value !== context.ownBalance[field]) {
        found.push(`${path} = ${value} (the other member's ${field})`);
      }
    }
  };
  walk(body, 'body', undefined);
  return found;
}
