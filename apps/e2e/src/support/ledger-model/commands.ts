// What a run does, as plain data that fast-check generates and shrinks. Commands name their targets
// by small indexes ("the member's 2nd order", "refund id 3 of the run's pool"), resolved by the
// runner against the model's state when the command runs; a command that does not apply then is
// skipped (and says so in the trace), so any shrunk sequence still runs.
import fc from 'fast-check';

/** Members per run, and the most a run can have (ids reserve one digit for the member). */
export const MIN_MEMBERS = 4;
export const MAX_MEMBERS = 8;
/** Refund ids come from a small pool shared by the run's members (natural keys are per member). */
export const REFUND_POOL = 5;

/** A new order id, one of the member's own, or one another member paid or held with earlier. */
export type OrderPick =
  | { kind: 'new' }
  | { kind: 'own'; index: number }
  | { kind: 'foreign'; member: number; index: number; samePoints: boolean };

export type HoldPick =
  { kind: 'own'; index: number } | { kind: 'foreign'; member: number; index: number };

/**
 * How an event goes out: once; twice with the same eventId back to back (the inbox must drop the
 * copy); or again with a new eventId once the first was handled (the natural key must drop it).
 */
export type Dup = 'once' | 'same-event-id' | 'new-event-id';

export type BatchSourceId =
  | { kind: 'fresh' }
  | { kind: 'again'; index: number }
  /** The id the member's next new order will have: a batch credit must not block its earning. */
  | { kind: 'next-order' };

/**
 * The Idempotency-Key a request carries: none, a new one, or one another member used in an earlier
 * round (keys belong to their caller: it must act as a new key, never answer with theirs).
 */
export type KeyPick = 'none' | 'fresh' | 'borrowed';

/** Points as a number, or as a share of what the member has available when the command runs. */
export type PointsPick = { abs: number } | { pct: number };

export interface BatchItem {
  points: number;
  source: string;
  sourceId: BatchSourceId;
}

export type MemberCommand =
  | {
      t: 'complete';
      order: { kind: 'new' } | { kind: 'own'; index: number };
      cents: number;
      dup: Dup;
    }
  | { t: 'spend'; order: OrderPick; points: PointsPick; keyed: KeyPick }
  | { t: 'hold'; order: OrderPick; points: PointsPick; keyed: KeyPick }
  | { t: 'capture'; hold: HoldPick; keyed: KeyPick }
  | { t: 'release'; hold: HoldPick; keyed: KeyPick }
  | { t: 'cancel'; order: { kind: 'new' } | { kind: 'own'; index: number }; dup: Dup }
  | {
      t: 'refund';
      event: 'requested' | 'refunded' | 'rejected';
      order: number;
      refund: number;
      /** Percent of the order's amount (over 100: more than the order, capped by the ledger). */
      share: number;
      dup: Dup;
    }
  | { t: 'check-in'; keyed: KeyPick }
  /** An admin's credit (positive) or deduction (negative). */
  | { t: 'adjust'; credit: boolean; points: PointsPick; keyed: KeyPick }
  | { t: 'batch'; items: BatchItem[]; keyed: KeyPick }
  /** Sends an earlier request with an Idempotency-Key again: same body, or another body. */
  | { t: 'replay'; index: number; otherBody: boolean };

/** What runs between rounds, when no member's commands are running (it touches every member). */
export type Barrier =
  | { t: 'none' }
  | { t: 'expire' }
  /** One admin batch for several members; `shared` items use the same sourceId for all of them. */
  | {
      t: 'batch-all';
      items: Array<{ member: number; points: number; source: string; shared: number }>;
    };

export interface Round {
  /** One list per member slot (only the first `members` are used). */
  commands: MemberCommand[][];
  barrier: Barrier;
}

export interface RunPlan {
  members: number;
  rounds: Round[];
}

/** Sources an admin batch may use, and the platform's own, which a batch must be refused. */
export const BATCH_SOURCES = ['batch', 'adjustment', 'campaign'];
export const REFUSED_BATCH_SOURCES = ['order', 'review', 'check-in', 'birthday'];

const points = (max: number): fc.Arbitrary<number> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.integer({ min: 1, max: 30 }) },
    { weight: 2, arbitrary: fc.integer({ min: 1, max: max }) },
  );
const pointsPick = (max: number): fc.Arbitrary<PointsPick> =>
  fc.oneof(
    { weight: 2, arbitrary: fc.record({ abs: points(max) }) },
    { weight: 2, arbitrary: fc.record({ pct: fc.integer({ min: 1, max: 100 }) }) },
    { weight: 1, arbitrary: fc.record({ pct: fc.integer({ min: 90, max: 110 }) }) },
  );
const index = fc.nat(7);
const dup: fc.Arbitrary<Dup> = fc.oneof(
  { weight: 4, arbitrary: fc.constant<Dup>('once') },
  { weight: 1, arbitrary: fc.constant<Dup>('same-event-id') },
  { weight: 1, arbitrary: fc.constant<Dup>('new-event-id') },
);
const keyed: fc.Arbitrary<KeyPick> = fc.oneof(
  { weight: 4, arbitrary: fc.constant<KeyPick>('none') },
  { weight: 3, arbitrary: fc.constant<KeyPick>('fresh') },
  { weight: 1, arbitrary: fc.constant<KeyPick>('borrowed') },
);

const orderPick: fc.Arbitrary<OrderPick> = fc.oneof(
  { weight: 4, arbitrary: fc.constant<OrderPick>({ kind: 'new' }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('own' as const), index }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('foreign' as const),
      member: index,
      index,
      samePoints: fc.boolean(),
    }),
  },
);
const holdPick: fc.Arbitrary<HoldPick> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('own' as const), index }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('foreign' as const), member: index, index }),
  },
);
const ownOrNew = fc.oneof(
  fc.constant({ kind: 'new' as const }),
  fc.record({ kind: fc.constant('own' as const), index }),
);

const batchSource = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom(...BATCH_SOURCES) },
  { weight: 1, arbitrary: fc.constantFrom(...REFUSED_BATCH_SOURCES) },
);
const batchItem: fc.Arbitrary<BatchItem> = fc.record({
  points: points(80),
  source: batchSource,
  sourceId: fc.oneof(
    { weight: 3, arbitrary: fc.constant<BatchSourceId>({ kind: 'fresh' }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('again' as const), index }) },
    { weight: 1, arbitrary: fc.constant<BatchSourceId>({ kind: 'next-order' }) },
  ),
});

export const memberCommand: fc.Arbitrary<MemberCommand> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      t: fc.constant('complete' as const),
      order: fc.oneof(
        { weight: 3, arbitrary: fc.constant({ kind: 'new' as const }) },
        { weight: 1, arbitrary: fc.record({ kind: fc.constant('own' as const), index }) },
      ),
      cents: fc.oneof(fc.integer({ min: 100, max: 30_000 }), fc.integer({ min: 100, max: 999 })),
      dup,
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      t: fc.constant('spend' as const),
      order: orderPick,
      points: pointsPick(160),
      keyed,
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      t: fc.constant('hold' as const),
      order: orderPick,
      points: pointsPick(160),
      keyed,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ t: fc.constant('capture' as const), hold: holdPick, keyed }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ t: fc.constant('release' as const), hold: holdPick, keyed }),
  },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('cancel' as const), order: ownOrNew, dup }) },
  {
    weight: 6,
    arbitrary: fc.record({
      t: fc.constant('refund' as const),
      event: fc.oneof(
        { weight: 3, arbitrary: fc.constant('requested' as const) },
        { weight: 3, arbitrary: fc.constant('refunded' as const) },
        { weight: 1, arbitrary: fc.constant('rejected' as const) },
      ),
      order: index,
      refund: fc.nat(REFUND_POOL - 1),
      share: fc.oneof(fc.integer({ min: 1, max: 100 }), fc.integer({ min: 1, max: 120 })),
      dup,
    }),
  },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('check-in' as const), keyed }) },
  {
    weight: 2,
    arbitrary: fc.record({
      t: fc.constant('adjust' as const),
      credit: fc.boolean(),
      points: pointsPick(100),
      keyed,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      t: fc.constant('batch' as const),
      items: fc.array(batchItem, { minLength: 1, maxLength: 3 }),
      keyed,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ t: fc.constant('replay' as const), index, otherBody: fc.boolean() }),
  },
);

const barrier: fc.Arbitrary<Barrier> = fc.oneof(
  { weight: 3, arbitrary: fc.constant<Barrier>({ t: 'none' }) },
  { weight: 1, arbitrary: fc.constant<Barrier>({ t: 'expire' }) },
  {
    weight: 2,
    arbitrary: fc.record({
      t: fc.constant('batch-all' as const),
      items: fc.array(
        fc.record({
          member: index,
          points: points(60),
          source: batchSource,
          shared: fc.nat(2),
        }),
        { minLength: 1, maxLength: 6 },
      ),
    }),
  },
);

/** A run: 4–8 members, 1–3 rounds of up to `maxCommands` commands per member, barriers between. */
export function runPlan({ maxCommands = 8 }: { maxCommands?: number } = {}): fc.Arbitrary<RunPlan> {
  return fc.record({
    members: fc.integer({ min: MIN_MEMBERS, max: MAX_MEMBERS }),
    rounds: fc.array(
      fc.record({
        commands: fc.array(fc.array(memberCommand, { maxLength: maxCommands }), {
          minLength: MAX_MEMBERS,
          maxLength: MAX_MEMBERS,
        }),
        barrier,
      }),
      { minLength: 1, maxLength: 3 },
    ),
  });
}
