// Runs one generated plan against the real fleet: registers fresh members, runs each round's
// commands (members concurrently, one member's commands in order, so each member's model stays
// deterministic), the barriers between rounds (which touch every member), and then compares every
// member's answers, balance, lots and history with the model. It collects every difference it
// finds, with the command that showed it, instead of stopping at the first.
import { isDeepStrictEqual } from 'node:util';
import { finishedJob } from '../admin-jobs';
import { api, memberToken, nextUserId, token, waitForBalance } from '../api';
import type { ApiResponse, Method } from '../api';
import {
  checkBalance,
  checkConservation,
  checkHistoryAgainstModel,
  checkHistoryChain,
  checkHistoryShape,
  checkImmutable,
  checkLots,
  leaksOf,
} from './checks';
import type { CheckName, HistoryRow } from './checks';
import { BATCH_SOURCES, MAX_MEMBERS } from './commands';
import type {
  Barrier,
  BatchItem,
  Dup,
  HoldPick,
  KeyPick,
  MemberCommand,
  OrderPick,
  PointsPick,
  RunPlan,
} from './commands';
import { pollUntil } from './fleet-io';
import type { SchemaApp, FleetIo } from './fleet-io';
import { MemberModel } from './model';
import type { Answer, CompletedOrder, HoldState, OrderState, RefundState } from './model';

/** How long an event may take to be handled before the run reports it (it never waits longer). */
const EVENT_TIMEOUT_MS = 20_000;
/** How long a balance may take to show a change already committed (the read cache is dropped after commit). */
const BALANCE_SETTLE_MS = 3_000;
/** How long the expiry job (every member with lots, other specs' too) may take to finish. */
const EXPIRY_TIMEOUT_MS = 120_000;
/** "asOf far in the future" for the expiry run: every lot has expired by then. */
const FAR_FUTURE_YEARS = 50;
/** member-service keeps the member Regular (multiplier 1.0) below this total spend. */
const SILVER_FROM_CENTS = 100_000;
const BUSINESS_TIME_ZONE = 'Asia/Shanghai';

export interface Discrepancy {
  check: CheckName;
  /** The member's label (m0…), or undefined for the run as a whole. */
  member: string | undefined;
  /** Where it showed: a command (`r1.3`), a barrier, or the end of the run. */
  where: string;
  detail: string;
}

export interface RunOutcome {
  members: string[];
  trace: string[];
  discrepancies: Discrepancy[];
}

interface KeyedRequest {
  method: Method;
  path: string;
  body: unknown;
  otherBody: unknown;
  token: string;
  key: string;
  what: string;
  first: Answer;
  round: number;
}

interface Member {
  slot: number;
  label: string;
  userId: string;
  memberId: string;
  token: string;
  admin: string;
  model: MemberModel;
  nextOrder: number;
  nextKey: number;
  keyed: KeyedRequest[];
  batchTried: Array<{ source: string; sourceId: string }>;
  /** Transaction and hold ids in answers this member (or an admin for them) received. */
  transactionIds: Set<string>;
  holdIds: Set<string>;
  seenRows: Map<string, string>;
  trace: string[];
  /** After the first balance difference, the per-command balance check stops (it would cascade). */
  balanceDiverged: boolean;
}

interface Want {
  status: number | number[];
  code?: string | string[];
  fields?: Record<string, unknown>;
  /** A replay: the same status and body as this first answer (errors without their correlationId). */
  same?: Answer;
  /** A natural-key replay of a hold: these fields as in the first answer. */
  sameFields?: { answer: Answer; fields: string[] };
}

/** A non-empty string id, in `Want.fields`. */
const ANY_ID = Symbol('any id');

let lastBase = 0n;
/** A per-run number (milliseconds, bumped when runs start in the same one) that makes ids unique. */
function nextBase(): bigint {
  const now = BigInt(Date.now());
  lastBase = now > lastBase ? now : lastBase + 1n;
  return lastBase;
}

const money = (cents: number): string => (cents / 100).toFixed(2);
const businessDate = (instant: Date): string =>
  new Intl.DateTimeFormat('en-CA', {
    timeZone: BUSINESS_TIME_ZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(instant);
const short = (text: string, max = 300): string =>
  text.length > max ? `${text.slice(0, max)}…` : text;
const bodyOf = (response: ApiResponse<unknown>): Record<string, unknown> =>
  response.body !== null && typeof response.body === 'object'
    ? (response.body as Record<string, unknown>)
    : {};
const withoutCorrelation = (body: unknown): unknown => {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return body;
  const { correlationId: _ignored, ...rest } = body as Record<string, unknown>;
  return rest;
};
const pick = <T>(items: readonly T[], index: number): T | undefined =>
  items.length === 0 ? undefined : items[index % items.length];
const keyLabel = (keyed: KeyPick): string =>
  keyed === 'none' ? '' : keyed === 'fresh' ? ' [key]' : ' [key: another member’s if any]';
/** Points to send: as given, or a share of what the member has available now (at least 1). */
const pointsOf = (wanted: PointsPick, available: number): number =>
  'abs' in wanted ? wanted.abs : Math.max(1, Math.round((available * wanted.pct) / 100));

export class LedgerModelRun {
  private readonly base = nextBase();
  private readonly discrepancies: Discrepancy[] = [];
  private readonly runTrace: string[] = [];
  private members: Member[] = [];
  private round = 0;
  private readonly completedOrders: string[] = [];

  constructor(
    private readonly plan: RunPlan,
    private readonly io: FleetIo,
  ) {}

  async execute(): Promise<RunOutcome> {
    const count = Math.min(Math.max(this.plan.members, 2), MAX_MEMBERS);
    this.members = await Promise.all(
      Array.from({ length: count }, (_, slot) => this.register(slot)),
    );
    this.runTrace.push(
      `members: ${this.members.map((m) => `${m.label} = member ${m.memberId} (user ${m.userId})`).join(', ')}`,
    );
    for (const [roundIndex, round] of this.plan.rounds.entries()) {
      this.round = roundIndex + 1;
      await Promise.all(
        this.members.map((member) => this.runCommands(member, round.commands[member.slot] ?? [])),
      );
      await this.barrier(round.barrier);
      await Promise.all(this.members.map((member) => this.roundEnd(member)));
    }
    await this.quiesce();
    await Promise.all(this.members.map((member) => this.finalChecks(member)));
    const trace = [...this.runTrace];
    for (const member of this.members) {
      trace.push(
        `${member.label} (member ${member.memberId}):`,
        ...member.trace.map((l) => `  ${l}`),
      );
    }
    return {
      members: this.members.map((m) => m.label),
      trace,
      discrepancies: this.discrepancies,
    };
  }

  // ---- members, ids, requests -------------------------------------------------------------

  private async register(slot: number): Promise<Member> {
    const userId = nextUserId();
    const bearer = memberToken(userId);
    const registered = await api<{ id: string }>('POST', '/api/v1/members', {
      token: bearer,
      body: {},
    });
    if (registered.status !== 201 || typeof registered.body.id !== 'string') {
      throw new Error(
        `registering user ${userId} answered ${registered.status}: ${registered.text}`,
      );
    }
    await waitForBalance(bearer);
    return {
      slot,
      label: `m${slot}`,
      userId,
      memberId: registered.body.id,
      token: bearer,
      admin: token({
        sub: `${this.base}${slot}`,
        roles: ['admin'],
        perms: ['points:adjust', 'members:read'],
      }),
      model: new MemberModel(),
      nextOrder: 0,
      nextKey: 0,
      keyed: [],
      batchTried: [],
      transactionIds: new Set(),
      holdIds: new Set(),
      seenRows: new Map(),
      trace: [],
      balanceDiverged: false,
    };
  }

  /** Opaque, as order systems make them (`SO-…`); unique per run, member and sequence. */
  private orderId(member: Member, sequence: number): string {
    return `SO-${this.base}-${member.slot}-${sequence}`;
  }

  private newOrderId(member: Member): string {
    member.nextOrder += 1;
    return this.orderId(member, member.nextOrder);
  }

  /** Refund ids: a pool shared by the run's members (each member's refunds are their own). */
  private refundId(k: number): string {
    return `RF:${this.base}:${k}`;
  }

  private report(
    check: CheckName,
    member: Member | undefined,
    where: string,
    detail: string,
  ): void {
    this.discrepancies.push({ check, member: member?.label, where, detail });
    const line = `  !! [${check}] ${detail.replace(/\n/g, '\n       ')}`;
    if (member) member.trace.push(line);
    else this.runTrace.push(line);
  }

  private async send(
    member: Member,
    request: {
      method: Method;
      path: string;
      body?: unknown;
      otherBody?: unknown;
      token: string;
      keyed: KeyPick;
      what: string;
    },
  ): Promise<ApiResponse<unknown>> {
    const key = this.keyFor(member, request.keyed);
    const response = await api<unknown>(request.method, request.path, {
      token: request.token,
      ...(request.body === undefined ? {} : { body: request.body }),
      ...(key === undefined ? {} : { headers: { 'Idempotency-Key': key } }),
    });
    if (key !== undefined) {
      member.keyed.push({
        method: request.method,
        path: request.path,
        body: request.body,
        otherBody: request.otherBody,
        token: request.token,
        key,
        what: request.what,
        first: { status: response.status, body: response.body },
        round: this.round,
      });
    }
    this.collectIds(member, response);
    return response;
  }

  /** The Idempotency-Key to send: none, a new one, or one another member used before this round. */
  private keyFor(member: Member, keyed: KeyPick): string | undefined {
    if (keyed === 'none') return undefined;
    if (keyed === 'borrowed') {
      const other = this.other(member, 0);
      // One this member has not sent yet (its own second use would rightly be a reuse).
      const mine = new Set(member.keyed.map((request) => request.key));
      const theirs =
        other?.keyed.filter((request) => request.round < this.round && !mine.has(request.key)) ??
        [];
      const borrowed = theirs[theirs.length - 1];
      if (borrowed && other) {
        member.trace.push(
          `  (Idempotency-Key ${borrowed.key}, ${other.label}'s for "${borrowed.what}")`,
        );
        return borrowed.key;
      }
    }
    return `lm-${this.base}-${member.slot}-${(member.nextKey += 1)}`;
  }

  private collectIds(member: Member, response: ApiResponse<unknown>): void {
    if (response.status >= 300) return;
    const body = bodyOf(response);
    if (typeof body['transactionId'] === 'string' && body['transactionId'] !== '') {
      member.transactionIds.add(body['transactionId']);
    }
    if (typeof body['holdId'] === 'string') member.holdIds.add(body['holdId']);
  }

  /** Compares an answer with what the model expects; reports and returns false when it differs. */
  private expect(
    member: Member,
    where: string,
    response: ApiResponse<unknown>,
    want: Want,
  ): boolean {
    const problems: string[] = [];
    const body = bodyOf(response);
    const statuses = [want.status].flat();
    if (!statuses.includes(response.status)) {
      problems.push(`status ${response.status}, expected ${statuses.join(' or ')}`);
    }
    if (want.code !== undefined) {
      const codes = [want.code].flat();
      if (!codes.includes(body['code'] as string)) {
        problems.push(`code ${JSON.stringify(body['code'])}, expected ${codes.join(' or ')}`);
      }
    }
    for (const [field, value] of Object.entries(want.fields ?? {})) {
      const actual = body[field];
      const ok =
        value === ANY_ID
          ? typeof actual === 'string' && actual !== ''
          : isDeepStrictEqual(actual, value);
      if (!ok) {
        problems.push(
          `${field} ${JSON.stringify(actual)}, expected ${value === ANY_ID ? 'an id' : JSON.stringify(value)}`,
        );
      }
    }
    if (want.same) {
      if (response.status !== want.same.status) {
        problems.push(`status ${response.status}, the first answer was ${want.same.status}`);
      }
      if (
        !isDeepStrictEqual(withoutCorrelation(response.body), withoutCorrelation(want.same.body))
      ) {
        problems.push(`not the first answer ${short(JSON.stringify(want.same.body), 200)}`);
      }
    }
    if (want.sameFields) {
      const first = bodyOf({ body: want.sameFields.answer.body } as ApiResponse<unknown>);
      for (const field of want.sameFields.fields) {
        if (!isDeepStrictEqual(body[field], first[field])) {
          problems.push(
            `${field} ${JSON.stringify(body[field])}, the first answer had ${JSON.stringify(first[field])}`,
          );
        }
      }
    }
    if (problems.length > 0) {
      this.report(
        'responses',
        member,
        where,
        `${problems.join('; ')} — answer ${response.status} ${short(response.text)}`,
      );
    }
    return problems.length === 0;
  }

  // ---- rounds -------------------------------------------------------------------------------

  private async runCommands(member: Member, commands: readonly MemberCommand[]): Promise<void> {
    member.trace.push(`round ${this.round}`);
    for (const [index, command] of commands.entries()) {
      const where = `r${this.round}.${index + 1}`;
      // The command's line goes first; the differences it shows are listed under it.
      const at = member.trace.push(`${where} ${command.t} …`) - 1;
      const line = await this.command(member, command, where);
      member.trace[at] = `${where} ${line.text}`;
      if (line.ran) await this.checkBalanceNow(member, where, line.waitForBalance);
    }
  }

  /** Runs one command; its trace line says what the model expected and what happened. */
  private async command(
    member: Member,
    command: MemberCommand,
    where: string,
  ): Promise<{ text: string; ran: boolean; waitForBalance: boolean }> {
    const skipped = (why: string): { text: string; ran: boolean; waitForBalance: boolean } => ({
      text: `${command.t}: skipped (${why})`,
      ran: false,
      waitForBalance: false,
    });
    switch (command.t) {
      case 'complete':
        return this.complete(member, command, where);
      case 'spend':
      case 'hold':
        return (await this.payWithPoints(member, command, where)) ?? skipped('does not apply');
      case 'capture':
      case 'release':
        return (await this.settleHold(member, command, where)) ?? skipped('no hold to settle');
      case 'cancel':
        return this.cancel(member, command, where);
      case 'refund':
        return (await this.refund(member, command, where)) ?? skipped('no earned order');
      case 'check-in':
        return this.checkIn(member, command.keyed, where);
      case 'adjust':
        return this.adjust(
          member,
          (command.credit ? 1 : -1) * pointsOf(command.points, member.model.balance.available),
          command.keyed,
          where,
        );
      case 'batch':
        return this.batch(member, command.items, command.keyed, where);
      case 'replay':
        return (await this.replay(member, command, where)) ?? skipped('no keyed request yet');
    }
  }

  private async checkBalanceNow(member: Member, where: string, settle: boolean): Promise<void> {
    if (member.balanceDiverged) return;
    let differences: string[] = [];
    const equal = await pollUntil(
      async () => {
        differences = checkBalance(member.model.balance, await this.balanceOf(member));
        return differences.length === 0 ? true : undefined;
      },
      { timeoutMs: settle ? BALANCE_SETTLE_MS : 1_000 },
    );
    if (!equal) {
      member.balanceDiverged = true;
      this.report(
        'balance',
        member,
        where,
        `${differences.join('; ')} (later per-command balance checks of ${member.label} skipped)`,
      );
    }
  }

  private async balanceOf(member: Member): Promise<Record<string, unknown>> {
    const response = await api<Record<string, unknown>>('GET', '/api/v1/points/me/balance', {
      token: member.token,
    });
    if (response.status !== 200) {
      throw new Error(`${member.label}'s balance answered ${response.status}: ${response.text}`);
    }
    return response.body;
  }

  /** The member's whole history, newest first (every page; `query` adds filters). */
  private async history(member: Member, query = ''): Promise<HistoryRow[]> {
    const rows: HistoryRow[] = [];
    let cursor: string | null = null;
    do {
      const after: string = cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`;
      const response = await api<{ items: HistoryRow[]; nextCursor: string | null }>(
        'GET',
        `/api/v1/points/me/transactions?limit=100${query}${after}`,
        { token: member.token },
      );
      if (response.status !== 200) {
        throw new Error(`${member.label}'s history answered ${response.status}: ${response.text}`);
      }
      rows.push(...response.body.items);
      cursor = response.body.nextCursor;
    } while (cursor !== null);
    return rows;
  }

  // ---- events -------------------------------------------------------------------------------

  /** Publishes a platform event (and its copy, as `dup` says) and waits until `consumer` handled it. */
  private async publish(
    member: Member,
    where: string,
    type: string,
    payload: Record<string, unknown>,
    dup: Dup,
    consumer: SchemaApp,
  ): Promise<boolean> {
    const eventId = await this.io.publish(type, payload, {
      copies: dup === 'same-event-id' ? 2 : 1,
    });
    const handled = await this.io.handled(consumer, eventId, EVENT_TIMEOUT_MS);
    if (!handled) {
      this.report(
        'events',
        member,
        where,
        `${type} ${eventId} was not handled by ${consumer} within ${EVENT_TIMEOUT_MS / 1000} s (failing or parked?)`,
      );
    }
    return handled;
  }

  /** The same event again under a new eventId, once the first was handled: its natural key must drop it. */
  private async publishAgain(
    member: Member,
    where: string,
    type: string,
    payload: Record<string, unknown>,
    consumer: SchemaApp,
  ): Promise<void> {
    await this.publish(member, where, type, payload, 'once', consumer);
  }

  private complete(
    member: Member,
    command: Extract<MemberCommand, { t: 'complete' }>,
    where: string,
  ): Promise<{ text: string; ran: boolean; waitForBalance: boolean }> {
    const model = member.model;
    // One of the member's open orders (paid with points or held, say), or a new one.
    const open =
      command.order.kind === 'own'
        ? pick(
            [...model.orders.values()].filter((order) => !order.completed && !order.cancelled),
            command.order.index,
          )
        : undefined;
    const orderId = open?.id ?? this.newOrderId(member);
    if (model.spentCents + command.cents >= SILVER_FROM_CENTS) {
      return Promise.resolve({
        text: `complete ${orderId} ${money(command.cents)}: skipped (the member would reach Silver)`,
        ran: false,
        waitForBalance: false,
      });
    }
    return this.completeOrder(member, model.order(orderId), command.cents, command.dup, where);
  }

  private async completeOrder(
    member: Member,
    order: OrderState,
    cents: number,
    dup: Dup,
    where: string,
  ): Promise<{ text: string; ran: boolean; waitForBalance: boolean }> {
    const points = Math.floor(cents / 100);
    member.model.earnOrder(order, cents, points);
    this.completedOrders.push(order.id);
    const payload = {
      orderId: order.id,
      userId: member.userId,
      amount: money(cents),
      currency: 'CNY',
      completedAt: new Date().toISOString(),
    };
    const text = `order.completed ${order.id} ${money(cents)}${dup === 'once' ? '' : ` (${dup})`} → model earns ${points}`;
    if (
      !(await this.publish(member, where, 'order.completed.v1', payload, dup, 'member-service'))
    ) {
      return { text, ran: true, waitForBalance: true };
    }
    // member-service announces the credited order in the same transaction as its inbox row.
    const credited = await pollUntil(
      async () =>
        (
          await this.io.query(
            'member-service',
            "SELECT event_id FROM outbox_message WHERE event_type = 'member.order-credited.v1' AND envelope LIKE ?",
            [`%"orderId":"${order.id}"%`],
          )
        )[0]?.['event_id'] as string | undefined,
      { timeoutMs: 5_000 },
    );
    if (credited === undefined) {
      this.report(
        'events',
        member,
        where,
        `member-service announced no credit of order ${order.id}`,
      );
      return { text, ran: true, waitForBalance: true };
    }
    if (!(await this.io.handled('point-service', credited, EVENT_TIMEOUT_MS))) {
      this.report(
        'events',
        member,
        where,
        `point-service did not handle member.order-credited.v1 ${credited} (order ${order.id}) within ${EVENT_TIMEOUT_MS / 1000} s`,
      );
    }
    if (dup === 'new-event-id') {
      await this.publishAgain(member, where, 'order.completed.v1', payload, 'member-service');
    }
    const earned = (await this.history(member, '&type=earn')).some(
      (row) => row.source === 'order' && row.sourceId === order.id,
    );
    (order.completed as CompletedOrder).earnVisible = earned;
    if (!earned) {
      this.report(
        'effects',
        member,
        where,
        `order ${order.id} has no earn row once its events were handled (its refunds are not sent)`,
      );
    }
    return { text, ran: true, waitForBalance: true };
  }

  private async cancel(
    member: Member,
    command: Extract<MemberCommand, { t: 'cancel' }>,
    where: string,
  ): Promise<{ text: string; ran: boolean; waitForBalance: boolean }> {
    // A completed order's cancellation (its earn) is not part of these semantics: one of the
    // member's other orders, or a new id (a cancellation before any spend).
    const order =
      (command.order.kind === 'own'
        ? pick(
            [...member.model.orders.values()].filter((candidate) => !candidate.completed),
            command.order.index,
          )
        : undefined) ?? member.model.order(this.newOrderId(member));
    const effect = member.model.cancel(order);
    const payload = { orderId: order.id, userId: member.userId };
    if (
      await this.publish(member, where, 'order.cancelled.v1', payload, command.dup, 'point-service')
    ) {
      if (command.dup === 'new-event-id') {
        await this.publishAgain(member, where, 'order.cancelled.v1', payload, 'point-service');
      }
    }
    return {
      text: `order.cancelled ${order.id}${command.dup === 'once' ? '' : ` (${command.dup})`} → model: ${effect}`,
      ran: true,
      waitForBalance: true,
    };
  }

  private async refund(
    member: Member,
    command: Extract<MemberCommand, { t: 'refund' }>,
    where: string,
  ): Promise<{ text: string; ran: boolean; waitForBalance: boolean } | undefined> {
    const model = member.model;
    const refundId = this.refundId(command.refund);
    let refund = model.refunds.get(refundId);
    let order: OrderState | undefined;
    if (refund) {
      order = model.orders.get(refund.orderId);
    } else {
      order = pick(
        [...model.orders.values()].filter(
          (candidate) => candidate.completed?.earnVisible === true && !candidate.cancelled,
        ),
        command.order,
      );
    }
    const completed = order?.completed;
    if (!order || !completed) return undefined;
    const cents = Math.max(1, Math.floor((completed.amountCents * command.share) / 100));
    const fresh = (): RefundState => {
      const created: RefundState = {
        id: refundId,
        orderId: order.id,
        requested: false,
        requestedCents: 0,
        frozen: 0,
      };
      model.refunds.set(refundId, created);
      return created;
    };
    let effect: string;
    let amount = cents;
    if (command.event === 'requested') {
      if (refund) {
        amount = refund.requestedCents || cents;
        effect = `refund id acted already (${refund.outcome ?? 'requested'}): nothing`;
      } else {
        refund = fresh();
        refund.requestedCents = cents;
        effect = `freeze ${model.requestRefund(refund, completed)}`;
      }
    } else if (command.event === 'refunded') {
      if (refund?.outcome === 'rejected') return undefined;
      if (refund?.outcome === 'refunded') {
        amount = refund.refundedCents ?? cents;
        effect = 'refund id acted already: nothing';
      } else {
        refund ??= fresh();
        effect = model.completeRefund(refund, completed, cents);
      }
    } else {
      if (refund?.outcome === 'refunded') return undefined;
      if (refund?.outcome === 'rejected') {
        effect = 'refund id acted already: nothing';
      } else {
        refund ??= fresh();
        effect = model.rejectRefund(refund);
      }
    }
    const type = `order.${command.event === 'requested' ? 'refund-requested' : command.event === 'refunded' ? 'refunded' : 'refund-rejected'}.v1`;
    const payload: Record<string, unknown> = {
      orderId: order.id,
      userId: member.userId,
      refundId,
      ...(command.event === 'rejected' ? {} : { amount: money(amount) }),
    };
    if (await this.publish(member, where, type, payload, command.dup, 'point-service')) {
      if (command.dup === 'new-event-id') {
        await this.publishAgain(member, where, type, payload, 'point-service');
      }
    }
    return {
      text: `${type} order ${order.id} refund ${refundId}${command.event === 'rejected' ? '' : ` ${money(amount)}`} (order ${money(completed.amountCents)}, earned ${completed.points})${command.dup === 'once' ? '' : ` (${command.dup})`} → model: ${effect}`,
      ran: true,
      waitForBalance: true,
    };
  }

  // ---- member and admin requests ------------------------------------------------------------

  /** Another member (slot `index` among the others) and what they paid or held with before this round. */
  private other(member: Member, index: number): Member | undefined {
    if (this.members.length < 2) return undefined;
    const offset = 1 + (index % (this.members.length - 1));
    return this.members[(member.slot + offset) % this.members.length];
  }

  private checkNoLeak(
    member: Member,
    where: string,
    response: ApiResponse<unknown>,
    other: Member,
    sent: readonly string[],
  ): void {
    const leaks = leaksOf(response.body, {
      theirIds: new Set([other.memberId, other.userId, ...other.transactionIds, ...other.holdIds]),
      theirBalance: other.model.balance,
      ownBalance: member.model.balance,
      sent: new Set(sent),
    });
    if (leaks.length > 0) {
      this.report(
        'isolation',
        member,
        where,
        `the answer about ${other.label}'s id reveals: ${leaks.join('; ')}`,
      );
    }
  }

  private async payWithPoints(
    member: Member,
    command: Extract<MemberCommand, { t: 'spend' | 'hold' }>,
    where: string,
  ): Promise<{ text: string; ran: boolean; waitForBalance: boolean } | undefined> {
    const model = member.model;
    const isHold = command.t === 'hold';
    const path = isHold ? '/api/v1/points/me/holds' : '/api/v1/points/me/use';
    const okStatus = isHold ? 201 : 200;
    const target = this.resolveOrder(member, command.order);
    if (!target) return undefined;
    const points = target.points ?? pointsOf(command.points, model.balance.available);
    const body = { points, orderId: target.orderId };
    const request = {
      method: 'POST' as const,
      path,
      body,
      otherBody: { ...body, points: points + 1 },
      token: member.token,
      keyed: command.keyed,
      what: `${command.t} ${points} on ${target.orderId}`,
    };
    const label = `${command.t} ${points} on ${target.owner ? `${target.owner.label}'s order` : 'order'} ${target.orderId}${keyLabel(command.keyed)}`;

    if (target.owner) {
      const response = await this.send(member, request);
      this.expect(member, where, response, { status: 409, code: 'ORDER_OWNED_BY_ANOTHER_MEMBER' });
      this.checkNoLeak(member, where, response, target.owner, [target.orderId]);
      return {
        text: `${label} → expect 409 ORDER_OWNED_BY_ANOTHER_MEMBER, got ${response.status}`,
        ran: true,
        waitForBalance: false,
      };
    }

    const order = model.order(target.orderId);
    // Spends and holds on one order id are not mixed; a replay after the order's cancellation is
    // not part of the semantics either (the cancellation already gave that spend back).
    if ((isHold && order.spend) || (!isHold && order.hold)) return undefined;
    const existing = isHold ? order.hold : order.spend;
    if (order.cancelled && existing) return undefined;

    if (order.cancelled) {
      const response = await this.send(member, request);
      this.expect(member, where, response, { status: 409, code: 'ORDER_CANCELLED' });
      return {
        text: `${label} → expect 409 ORDER_CANCELLED, got ${response.status}`,
        ran: true,
        waitForBalance: false,
      };
    }
    if (existing) {
      const response = await this.send(member, request);
      if (existing.points === points) {
        this.expect(
          member,
          where,
          response,
          isHold
            ? {
                status: existing.first.status,
                sameFields: {
                  answer: existing.first,
                  fields: ['holdId', 'orderId', 'points', 'expiresAt'],
                },
              }
            : { status: existing.first.status, same: existing.first },
        );
        return {
          text: `${label} → expect the first answer again (${existing.first.status}), got ${response.status}`,
          ran: true,
          waitForBalance: false,
        };
      }
      this.expect(member, where, response, { status: 409 });
      return {
        text: `${label} → expect 409 (the order was paid with ${existing.points}), got ${response.status}`,
        ran: true,
        waitForBalance: false,
      };
    }
    if (model.balance.available < points) {
      const response = await this.send(member, request);
      this.expect(member, where, response, { status: 422, code: 'POINTS_INSUFFICIENT' });
      return {
        text: `${label} → expect 422 POINTS_INSUFFICIENT (available ${model.balance.available}), got ${response.status}`,
        ran: true,
        waitForBalance: false,
      };
    }
    const response = await this.send(member, request);
    const answer = { status: response.status, body: response.body };
    if (isHold) {
      const hold: HoldState = {
        holdId:
          response.status === 201 ? (bodyOf(response)['holdId'] as string | undefined) : undefined,
        orderId: target.orderId,
        points,
        status: 'reserved',
        first: answer,
        round: this.round,
      };
      model.hold(order, hold);
      this.expect(member, where, response, {
        status: okStatus,
        fields: { holdId: ANY_ID, orderId: target.orderId, points, status: 'reserved' },
      });
    } else {
      model.debit('use', points, `order ${target.orderId}`);
      order.spend = { points, first: answer, round: this.round };
      this.expect(member, where, response, {
        status: okStatus,
        fields: { transactionId: ANY_ID, points, balanceAfter: model.balance.available },
      });
    }
    return {
      text: `${label} → expect ${okStatus} (available after ${model.balance.available}), got ${response.status}`,
      ran: true,
      waitForBalance: false,
    };
  }

  /** The order id a spend or hold names: new, one of the member's, or one another member owns. */
  private resolveOrder(
    member: Member,
    pickOrder: OrderPick,
  ): { orderId: string; owner?: Member; points?: number } | undefined {
    if (pickOrder.kind === 'new') return { orderId: this.newOrderId(member) };
    if (pickOrder.kind === 'own') {
      const order = pick([...member.model.orders.values()], pickOrder.index);
      return { orderId: order ? order.id : this.newOrderId(member) };
    }
    const other = this.other(member, pickOrder.member);
    if (!other) return undefined;
    const orderId = pick(other.model.ownedOrders(this.round), pickOrder.index);
    if (orderId === undefined) return undefined;
    const owned = other.model.orders.get(orderId);
    const theirPoints = owned?.spend?.points ?? owned?.hold?.points;
    return {
      orderId,
      owner: other,
      ...(pickOrder.samePoints && theirPoints !== undefined ? { points: theirPoints } : {}),
    };
  }

  private async settleHold(
    member: Member,
    command: Extract<MemberCommand, { t: 'capture' | 'release' }>,
    where: string,
  ): Promise<{ text: string; ran: boolean; waitForBalance: boolean } | undefined> {
    const resolved = this.resolveHold(member, command.hold);
    if (!resolved) return undefined;
    const { holdId, hold, owner } = resolved;
    const response = await this.send(member, {
      method: 'POST',
      path: `/api/v1/points/me/holds/${holdId}/${command.t}`,
      token: member.token,
      keyed: command.keyed,
      what: `${command.t} hold ${holdId}`,
    });
    const label = `${command.t} ${owner ? `${owner.label}'s ` : ''}hold ${holdId}${keyLabel(command.keyed)}`;
    if (owner) {
      this.expect(member, where, response, {
        status: [404, 409],
        code: ['HOLD_NOT_FOUND', 'ORDER_OWNED_BY_ANOTHER_MEMBER'],
      });
      this.checkNoLeak(member, where, response, owner, [holdId]);
      return {
        text: `${label} → expect 404 HOLD_NOT_FOUND (or 409 ORDER_OWNED_BY_ANOTHER_MEMBER), got ${response.status}`,
        ran: true,
        waitForBalance: false,
      };
    }
    const state = hold as HoldState;
    const model = member.model;
    let expected: string;
    if (command.t === 'capture') {
      if (state.status === 'reserved') {
        model.capture(state);
        state.capture = { status: response.status, body: response.body };
        expected = `200 capture ${state.points}`;
        this.expect(member, where, response, {
          status: 200,
          fields: {
            transactionId: ANY_ID,
            points: state.points,
            balanceAfter: model.balance.available,
          },
        });
      } else if (state.status === 'captured' && state.capture) {
        expected = 'the first capture answer again';
        this.expect(member, where, response, { status: state.capture.status, same: state.capture });
      } else {
        expected = `409 HOLD_NOT_RESERVED (${state.status})`;
        this.expect(member, where, response, { status: 409, code: 'HOLD_NOT_RESERVED' });
      }
    } else if (state.status === 'reserved') {
      model.release(state);
      expected = `200 release ${state.points}`;
      this.expect(member, where, response, {
        status: 200,
        fields: { holdId, points: state.points, status: 'released' },
      });
    } else if (state.status === 'released') {
      expected = '200, already released';
      this.expect(member, where, response, { status: 200, fields: { holdId, status: 'released' } });
    } else {
      expected = '409 HOLD_NOT_RESERVED (captured)';
      this.expect(member, where, response, { status: 409, code: 'HOLD_NOT_RESERVED' });
    }
    return {
      text: `${label} → expect ${expected}, got ${response.status}`,
      ran: true,
      waitForBalance: false,
    };
  }

  private resolveHold(
    member: Member,
    pickHold: HoldPick,
  ): { holdId: string; hold?: HoldState; owner?: Member } | undefined {
    if (pickHold.kind === 'own') {
      const holds = [...member.model.orders.values()].flatMap((order) =>
        order.hold?.holdId !== undefined ? [order.hold] : [],
      );
      const hold = pick(holds, pickHold.index);
      return hold ? { holdId: hold.holdId as string, hold } : undefined;
    }
    const other = this.other(member, pickHold.member);
    if (!other) return undefined;
    const holdId = pick(other.model.holdIds(this.round), pickHold.index);
    return holdId === undefined ? undefined : { holdId, owner: other };
  }

  private async checkIn(
    member: Member,
    keyed: KeyPick,
    where: string,
  ): Promise<{ text: string; ran: boolean; waitForBalance: boolean }> {
    const model = member.model;
    const before = businessDate(new Date());
    const response = await this.send(member, {
      method: 'POST',
      path: '/api/v1/points/me/check-in',
      token: member.token,
      keyed,
      what: 'check-in',
    });
    const after = businessDate(new Date());
    // At the business day's turn either answer is right: follow the service's.
    const firstToday = before === after ? !model.checkIns.has(before) : response.status === 201;
    const day = before === after ? before : ((bodyOf(response)['businessDate'] as string) ?? after);
    if (firstToday) {
      model.checkIns.add(day);
      model.credit('earn', 5, `check-in ${day}`);
      this.expect(member, where, response, {
        status: 201,
        fields: { transactionId: ANY_ID, points: 5, balanceAfter: model.balance.available },
      });
    } else {
      this.expect(member, where, response, { status: 409, code: 'ALREADY_CHECKED_IN' });
    }
    return {
      text: `check-in${keyLabel(keyed)} → expect ${firstToday ? '201 +5' : '409 ALREADY_CHECKED_IN'}, got ${response.status}`,
      ran: true,
      waitForBalance: false,
    };
  }

  private async adjust(
    member: Member,
    points: number,
    keyed: KeyPick,
    where: string,
  ): Promise<{ text: string; ran: boolean; waitForBalance: boolean }> {
    const model = member.model;
    const body = { points, reasonCode: 'LEDGER_MODEL' };
    const response = await this.send(member, {
      method: 'POST',
      path: `/api/v1/admin/members/${member.memberId}/points/adjust`,
      body,
      otherBody: { ...body, points: points > 0 ? points + 1 : points - 1 },
      token: member.admin,
      keyed,
      what: `adjust ${points}`,
    });
    let expected: string;
    if (points > 0) {
      model.credit('adjust', points, 'admin adjust');
      expected = `200 +${points}`;
    } else if (model.balance.available >= -points) {
      model.debit('adjust', -points, 'admin adjust');
      expected = `200 ${points}`;
    } else {
      expected = `422 POINTS_INSUFFICIENT (available ${model.balance.available})`;
      this.expect(member, where, response, { status: 422, code: 'POINTS_INSUFFICIENT' });
      return {
        text: `admin adjust ${points}${keyLabel(keyed)} → expect ${expected}, got ${response.status}`,
        ran: true,
        waitForBalance: false,
      };
    }
    const ok = this.expect(member, where, response, {
      status: 200,
      fields: { transactionId: ANY_ID, balanceAfter: model.balance.available },
    });
    const answered = bodyOf(response)['points'];
    if (ok && answered !== points && answered !== Math.abs(points)) {
      this.report(
        'responses',
        member,
        where,
        `points ${JSON.stringify(answered)}, expected ${Math.abs(points)}`,
      );
    }
    return {
      text: `admin adjust ${points}${keyLabel(keyed)} → expect ${expected}, got ${response.status}`,
      ran: true,
      waitForBalance: false,
    };
  }

  private async batch(
    member: Member,
    items: readonly BatchItem[],
    keyed: KeyPick,
    where: string,
  ): Promise<{ text: string; ran: boolean; waitForBalance: boolean }> {
    const resolved = items.map((item) => {
      let source = item.source;
      let sourceId: string;
      if (item.sourceId.kind === 'fresh') {
        sourceId = `lm-${this.base}-${member.slot}-b${(member.nextKey += 1)}`;
      } else if (item.sourceId.kind === 'next-order') {
        sourceId = this.orderId(member, member.nextOrder + 1);
      } else {
        const earlier = pick(member.batchTried, item.sourceId.index);
        if (earlier) ({ source, sourceId } = earlier);
        else sourceId = `lm-${this.base}-${member.slot}-b${(member.nextKey += 1)}`;
      }
      member.batchTried.push({ source, sourceId });
      return { memberId: member.memberId, points: item.points, source, sourceId };
    });
    const body = { items: resolved };
    const first = resolved[0];
    const response = await this.send(member, {
      method: 'POST',
      path: '/api/v1/admin/points/earn-batch',
      body,
      otherBody: { items: [{ ...first, points: (first?.points ?? 1) + 1 }, ...resolved.slice(1)] },
      token: member.admin,
      keyed,
      what: 'earn-batch',
    });
    const expected = this.applyBatch(resolved);
    const label = `earn-batch ${resolved.map((item) => `${item.source}:${item.sourceId}+${item.points}`).join(', ')}${keyLabel(keyed)}`;
    if (expected === undefined) {
      this.expect(member, where, response, { status: 400, code: 'VALIDATION_FAILED' });
      return {
        text: `${label} → expect 400 VALIDATION_FAILED (a platform source), got ${response.status}`,
        ran: true,
        waitForBalance: false,
      };
    }
    this.expect(member, where, response, {
      status: 200,
      fields: { ...expected, unknownMembers: [] },
    });
    return {
      text: `${label} → expect 200 ${JSON.stringify(expected)}, got ${response.status}`,
      ran: true,
      waitForBalance: false,
    };
  }

  /**
   * Credits a batch's items in the model (each member, source and sourceId once; the first of a
   * repeat within the batch counts). Undefined when the batch must be refused (a platform source).
   */
  private applyBatch(
    items: ReadonlyArray<{ memberId: string; points: number; source: string; sourceId: string }>,
  ): { credited: number; duplicates: number; points: number } | undefined {
    if (items.some((item) => !BATCH_SOURCES.includes(item.source))) return undefined;
    const totals = { credited: 0, duplicates: 0, points: 0 };
    for (const item of items) {
      const member = this.members.find((candidate) => candidate.memberId === item.memberId);
      if (!member) continue;
      const key = `${item.source}\n${item.sourceId}`;
      if (member.model.batchKeys.has(key)) {
        totals.duplicates += 1;
        continue;
      }
      member.model.batchKeys.add(key);
      member.model.credit('earn', item.points, `${item.source} ${item.sourceId}`);
      totals.credited += 1;
      totals.points += item.points;
    }
    return totals;
  }

  private async replay(
    member: Member,
    command: Extract<MemberCommand, { t: 'replay' }>,
    where: string,
  ): Promise<{ text: string; ran: boolean; waitForBalance: boolean } | undefined> {
    const earlier = pick(member.keyed, command.index);
    if (!earlier) return undefined;
    const other = command.otherBody && earlier.otherBody !== undefined;
    const body = other ? earlier.otherBody : earlier.body;
    const response = await api<unknown>(earlier.method, earlier.path, {
      token: earlier.token,
      ...(body === undefined ? {} : { body }),
      headers: { 'Idempotency-Key': earlier.key },
    });
    this.collectIds(member, response);
    if (other) {
      this.expect(member, where, response, { status: 422, code: 'IDEMPOTENCY_KEY_REUSED' });
    } else {
      this.expect(member, where, response, { status: earlier.first.status, same: earlier.first });
    }
    return {
      text: `replay key of "${earlier.what}"${other ? ' with another body → expect 422 IDEMPOTENCY_KEY_REUSED' : ` → expect the first answer (${earlier.first.status})`}, got ${response.status}`,
      ran: true,
      waitForBalance: false,
    };
  }

  // ---- barriers, checks ---------------------------------------------------------------------

  private async barrier(barrier: Barrier): Promise<void> {
    if (barrier.t === 'none') return;
    const where = `after round ${this.round}`;
    for (const member of this.members)
      member.trace.push(`${where}: ${barrier.t} (see the run's lines)`);
    const admin = token({
      sub: `${this.base}9`,
      roles: ['admin'],
      perms: ['points:adjust', 'system:write'],
    });
    if (barrier.t === 'expire') {
      const asOf = new Date(Date.now() + FAR_FUTURE_YEARS * 365 * 86_400_000).toISOString();
      const response = await api<unknown>('POST', '/api/v1/admin/jobs/expire-points/run', {
        token: admin,
        body: { asOf },
      });
      const expired = this.members.map((member) => `${member.label} ${member.model.expireAll()}`);
      this.runTrace.push(
        `${where}: expire-points asOf ${asOf} → model expires ${expired.join(', ')}; got ${response.status}`,
      );
      // A run is a job (202): wait, bounded, until it has been through every member with lots.
      const job =
        response.status === 202
          ? await finishedJob(
              String(bodyOf(response)['id']),
              { token: admin },
              EXPIRY_TIMEOUT_MS,
            ).catch((error: unknown) => (error instanceof Error ? error.message : String(error)))
          : 'not started';
      const run = typeof job === 'string' ? undefined : (job.result as { outcome?: string } | null);
      if (typeof job === 'string' || job.status !== 'succeeded' || run?.outcome !== 'succeeded') {
        this.report(
          'responses',
          undefined,
          where,
          `expire-points answered ${response.status} ${short(response.text)}; the job: ${short(JSON.stringify(job))}`,
        );
      }
      await Promise.all(this.members.map((member) => this.checkBalanceNow(member, where, false)));
      return;
    }
    const items = barrier.items.map((item) => {
      const member = this.members[item.member % this.members.length] as Member;
      return {
        memberId: member.memberId,
        points: item.points,
        source: item.source,
        sourceId: `lm-${this.base}-shared-${item.shared}`,
      };
    });
    const response = await api<unknown>('POST', '/api/v1/admin/points/earn-batch', {
      token: admin,
      body: { items },
    });
    const expected = this.applyBatch(items);
    const described = items
      .map((item) => {
        const member = this.members.find((candidate) => candidate.memberId === item.memberId);
        return `${member?.label}:${item.source}:${item.sourceId}+${item.points}`;
      })
      .join(', ');
    this.runTrace.push(
      `${where}: earn-batch for several members ${described} → expect ${expected ? `200 ${JSON.stringify(expected)}` : '400 VALIDATION_FAILED'}, got ${response.status} ${short(response.text, 200)}`,
    );
    const body = bodyOf(response);
    const wrong = expected
      ? response.status !== 200 ||
        body['credited'] !== expected.credited ||
        body['duplicates'] !== expected.duplicates ||
        body['points'] !== expected.points
      : response.status !== 400 || body['code'] !== 'VALIDATION_FAILED';
    if (wrong) {
      this.report(
        'responses',
        undefined,
        where,
        `earn-batch ${described}: expected ${expected ? `200 ${JSON.stringify(expected)}` : '400 VALIDATION_FAILED'}, answer ${response.status} ${short(response.text)}`,
      );
    }
    await Promise.all(this.members.map((member) => this.checkBalanceNow(member, where, false)));
  }

  /** After each round: the history read so far must not have changed. */
  private async roundEnd(member: Member): Promise<void> {
    const rows = await this.history(member);
    checkImmutable(rows, member.seenRows, (check, detail) =>
      this.report(check, member, `end of round ${this.round}`, detail),
    );
  }

  /**
   * Before the final checks: every credit member-service announced for this run's orders was
   * handled by point-service (so no late copy can still change a balance).
   */
  private async quiesce(): Promise<void> {
    if (this.completedOrders.length === 0) return;
    const pattern = `"orderId":"(${this.completedOrders.join('|')})"`;
    const announced = (
      await this.io.query(
        'member-service',
        "SELECT event_id FROM outbox_message WHERE event_type = 'member.order-credited.v1' AND envelope REGEXP ?",
        [pattern],
      )
    ).map((row) => String(row['event_id']));
    let missing: string[] = [];
    const done = await pollUntil(
      async () => {
        const published = await this.io.query(
          'member-service',
          'SELECT COUNT(*) AS n FROM outbox_message WHERE published_at IS NULL',
        );
        if (Number(published[0]?.['n'] ?? 0) > 0) return undefined;
        const handled = new Set(
          (
            await this.io.query(
              'point-service',
              'SELECT message_id FROM inbox_message WHERE message_id IN (?)',
              [announced],
            )
          ).map((row) => String(row['message_id'])),
        );
        missing = announced.filter((id) => !handled.has(id));
        return missing.length === 0 ? true : undefined;
      },
      { timeoutMs: EVENT_TIMEOUT_MS },
    );
    if (!done) {
      this.report(
        'events',
        undefined,
        'end of run',
        `member-service's outbox is not drained, or point-service has not handled ${missing.length} order credits: ${missing.join(', ')}`,
      );
    }
  }

  private async finalChecks(member: Member): Promise<void> {
    member.trace.push('end of run');
    const report = (check: CheckName, detail: string): void =>
      this.report(check, member, 'end of run', detail);
    let balance: Record<string, unknown> = {};
    let differences: string[] = [];
    await pollUntil(
      async () => {
        balance = await this.balanceOf(member);
        differences = checkBalance(member.model.balance, balance);
        return differences.length === 0 ? true : undefined;
      },
      { timeoutMs: BALANCE_SETTLE_MS },
    );
    for (const difference of differences) report('balance', difference);

    const newestFirst = await this.history(member);
    const oldestFirst = [...newestFirst].reverse();
    checkHistoryShape(newestFirst as unknown as Array<Record<string, unknown>>, report);
    checkImmutable(newestFirst, member.seenRows, report);
    checkHistoryChain(oldestFirst, balance, report);
    checkHistoryAgainstModel(oldestFirst, member.model, report);
    checkConservation(balance, oldestFirst, report);

    const sum = async (sql: string): Promise<number> =>
      Number((await this.io.query('point-service', sql, [member.memberId]))[0]?.['n'] ?? 0);
    checkLots(
      balance,
      {
        lots: await sum(
          'SELECT COALESCE(SUM(remaining), 0) AS n FROM point_lot WHERE member_id = ?',
        ),
        freezes: await sum(
          `SELECT COALESCE(SUM(a.points), 0) AS n FROM point_freeze f
             JOIN point_freeze_allocation a ON a.freeze_id = f.id
            WHERE f.member_id = ? AND f.status = 'frozen'`,
        ),
        holds: await sum(
          `SELECT COALESCE(SUM(a.points), 0) AS n FROM point_hold h
             JOIN point_hold_allocation a ON a.hold_id = h.id
            WHERE h.member_id = ? AND h.status = 'reserved'`,
        ),
      },
      report,
    );

    const ids = new Set(newestFirst.map((row) => row.id));
    for (const transactionId of member.transactionIds) {
      if (!ids.has(transactionId)) {
        report(
          'isolation',
          `transaction ${transactionId} was answered to ${member.label} but is not in their history`,
        );
      }
    }
    if (member.holdIds.size > 0) {
      const owners = await this.io.query(
        'point-service',
        'SELECT id, member_id FROM point_hold WHERE id IN (?)',
        [[...member.holdIds]],
      );
      for (const row of owners) {
        if (String(row['member_id']) !== member.memberId) {
          report(
            'isolation',
            `hold ${String(row['id'])} was answered to ${member.label} but belongs to member ${String(row['member_id'])}`,
          );
        }
      }
    }
  }
}

/** Runs one plan against the fleet (see LedgerModelRun). */
export function runPlanOnFleet(plan: RunPlan, io: FleetIo): Promise<RunOutcome> {
  return new LedgerModelRun(plan, io).execute();
}
