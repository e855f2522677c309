// Pure exactness checks: what chaos sent (orders, spends) against what point-service's schema
// holds (history rows by natural key, lots, accounts), plus the reconciliation job and the parking
// queues. Each check returns `{ name, ok, summary, problems }`, problems listing examples.

const EXAMPLES = 10;

const countBy = (rows, key) => {
  const counts = new Map();
  for (const row of rows) counts.set(row[key], (counts.get(row[key]) ?? []).concat(row));
  return counts;
};

/** Points an order earns at level 1 (multiplier 1.0, 1 point per yuan). */
export const expectedOrderPoints = (amountCents) => Math.floor(amountCents / 100);

/**
 * Every confirmed order earned exactly once, for its member, the right points; no order earned
 * that chaos never sent; an order whose publish was never confirmed earned at most once.
 * `earnRows`: `{ sourceId, memberId, points }` (type earn, source order); `operations`:
 * `{ naturalKey, transactionId }` (kind earn:order).
 */
export function checkOrders({ orders, earnRows, operations }) {
  const rowsByOrder = countBy(earnRows, 'sourceId');
  const opsByOrder = countBy(operations, 'naturalKey');
  const problems = [];
  let credited = 0;
  let unconfirmed = 0;
  for (const order of orders) {
    const rows = rowsByOrder.get(order.orderId) ?? [];
    const ops = opsByOrder.get(order.orderId) ?? [];
    const confirmed = order.confirmedAt !== undefined;
    if (!confirmed) unconfirmed += 1;
    if (rows.length === 1) credited += 1;
    if (rows.length > 1) problems.push(`${order.orderId}: earned ${rows.length} times`);
    else if (rows.length === 0 && confirmed) problems.push(`${order.orderId}: never earned`);
    else if (rows.length === 1) {
      const [row] = rows;
      const expected = expectedOrderPoints(order.amountCents);
      if (Number(row.points) !== expected) {
        problems.push(`${order.orderId}: earned ${row.points} points, expected ${expected}`);
      }
      if (String(row.memberId) !== String(order.memberId)) {
        problems.push(
          `${order.orderId}: credited to member ${row.memberId}, not ${order.memberId}`,
        );
      }
      if (ops.length !== 1 || !ops[0].transactionId) {
        problems.push(`${order.orderId}: natural key row missing or not settled`);
      }
    }
  }
  const sent = new Set(orders.map((order) => order.orderId));
  for (const orderId of rowsByOrder.keys()) {
    if (!sent.has(orderId)) problems.push(`${orderId}: earned but never sent`);
  }
  return {
    name: 'orders earned exactly once',
    ok: problems.length === 0,
    summary: `${orders.length} orders sent (${unconfirmed} never confirmed), ${credited} earned once, ${earnRows.length} earn rows`,
    problems,
  };
}

/** Answers that say nothing about whether the spend happened: still running, or throttled. */
const outcomeUnknown = ({ status, code }) =>
  status === 429 || (status === 409 && code === 'REQUEST_IN_PROGRESS');

/**
 * Spends: a 2xx answer means exactly one `use` row of -points; a refusal (4xx) means none; an
 * unanswered, 5xx or 409 REQUEST_IN_PROGRESS spend may have happened once.
 * `useRows`: `{ sourceId, memberId, points }`.
 */
export function checkSpends({ spends, useRows }) {
  const rowsByOrder = countBy(useRows, 'sourceId');
  const problems = [];
  let done = 0;
  let unknown = 0;
  for (const spend of spends) {
    const rows = rowsByOrder.get(spend.orderId) ?? [];
    const answered = spend.status >= 200 && spend.status < 300;
    const refused = spend.status >= 400 && spend.status < 500 && !outcomeUnknown(spend);
    if (answered) done += 1;
    if (!answered && !refused) unknown += 1;
    if (rows.length > 1) problems.push(`${spend.orderId}: spent ${rows.length} times`);
    else if (answered && rows.length === 0)
      problems.push(`${spend.orderId}: answered ${spend.status} but nothing was spent`);
    else if (refused && rows.length === 1)
      problems.push(`${spend.orderId}: refused (${spend.status} ${spend.code}) but spent`);
    else if (rows.length === 1 && Number(rows[0].points) !== -spend.points)
      problems.push(`${spend.orderId}: spent ${-rows[0].points}, asked ${spend.points}`);
  }
  const sent = new Set(spends.map((spend) => spend.orderId));
  for (const orderId of rowsByOrder.keys()) {
    if (!sent.has(orderId)) problems.push(`${orderId}: spent but never asked`);
  }
  return {
    name: 'spends applied at most once',
    ok: problems.length === 0,
    summary: `${spends.length} spends, ${done} succeeded, ${unknown} with unknown outcome (no answer, 5xx, in progress), ${useRows.length} use rows`,
    problems,
  };
}

/**
 * Every account agrees with its ledger: available = lots remaining = sum of history, lifetime
 * earned = lots given, nothing held or frozen (chaos creates no holds or freezes), and the balance
 * the API answers (when read) equals the stored one.
 */
export function checkBalances(accounts) {
  const problems = [];
  for (const account of accounts) {
    const wrong = [];
    const n = (value) => Number(value ?? 0);
    if (n(account.available) !== n(account.lotsRemaining))
      wrong.push(`available ${account.available} ≠ lots remaining ${account.lotsRemaining}`);
    if (n(account.available) !== n(account.historySum))
      wrong.push(`available ${account.available} ≠ history sum ${account.historySum}`);
    if (n(account.lifetimeEarned) !== n(account.lotsAmount))
      wrong.push(`lifetime earned ${account.lifetimeEarned} ≠ lots amount ${account.lotsAmount}`);
    if (n(account.held) !== 0 || n(account.frozen) !== 0 || n(account.debt) !== 0)
      wrong.push(`held/frozen/debt ${account.held}/${account.frozen}/${account.debt}`);
    if (account.apiAvailable !== undefined && n(account.apiAvailable) !== n(account.available))
      wrong.push(`API says ${account.apiAvailable}, stored ${account.available}`);
    if (wrong.length > 0) problems.push(`member ${account.memberId}: ${wrong.join('; ')}`);
  }
  return {
    name: 'balances match the ledger',
    ok: problems.length === 0,
    summary: `${accounts.length} accounts checked`,
    problems,
  };
}

/**
 * member-service counted each order once towards total spent, and no member left level 1 (so
 * the points expected per order hold). `spentRows`: `{ memberId, totalSpentCents, levelId }`;
 * `earned`: the order ids point-service credited.
 */
export function checkTotalSpent({ orders, spentRows, earned = new Set() }) {
  const expected = new Map();
  for (const order of orders) {
    // An order never confirmed may still have arrived: it counts if it earned points.
    if (order.confirmedAt === undefined && !earned.has(order.orderId)) continue;
    expected.set(order.memberId, (expected.get(order.memberId) ?? 0) + order.amountCents);
  }
  const problems = [];
  for (const row of spentRows) {
    const want = expected.get(String(row.memberId)) ?? 0;
    if (Number(row.totalSpentCents) !== want)
      problems.push(
        `member ${row.memberId}: total spent ${row.totalSpentCents} cents, orders ${want}`,
      );
    if (Number(row.levelId) !== 1)
      problems.push(`member ${row.memberId}: level ${row.levelId}, not 1`);
  }
  return {
    name: 'total spent counts each order once',
    ok: problems.length === 0,
    summary: `${spentRows.length} members checked`,
    problems,
  };
}

/** Check-ins: one per member and business day, each with exactly one earn row. */
export function checkCheckIns({ checkIns, checkInRows }) {
  const problems = [];
  const days = countBy(checkIns, 'memberId');
  const rows = countBy(checkInRows, 'memberId');
  for (const memberId of new Set([...days.keys(), ...rows.keys()])) {
    const d = days.get(memberId) ?? [];
    const r = rows.get(memberId) ?? [];
    const distinct = new Set(d.map((row) => String(row.businessDate))).size;
    if (distinct !== d.length) problems.push(`member ${memberId}: two check-ins on one day`);
    if (r.length !== d.length)
      problems.push(`member ${memberId}: ${d.length} check-ins, ${r.length} earn rows`);
  }
  return {
    name: 'check-ins once a day',
    ok: problems.length === 0,
    summary: `${checkIns.length} check-ins, ${checkInRows.length} earn rows`,
    problems,
  };
}

/** The reconciliation job's result: `{ accounts, drifted, samples }`, or an error string. */
export function checkReconciliation(result) {
  if (!result || typeof result !== 'object' || typeof result.drifted !== 'number') {
    return {
      name: 'reconciliation finds no drift',
      ok: false,
      summary: `job did not answer: ${JSON.stringify(result)}`,
      problems: [],
    };
  }
  return {
    name: 'reconciliation finds no drift',
    ok: result.drifted === 0,
    summary: `${result.accounts} accounts, ${result.drifted} drifted`,
    problems: (result.samples ?? []).map((sample) => JSON.stringify(sample)),
  };
}

/**
 * Queues after the drain: nothing in a parking queue (each parked message listed with its type,
 * order and reason), nothing left in a work or retry queue.
 * `queues`: `{ name, messages, unacked }`; `parked`: `{ queue, type, orderId, reason }`.
 */
export function checkQueues({ queues, parked }) {
  const problems = [];
  for (const queue of queues) {
    if (queue.name.endsWith('.parking') && queue.messages > 0)
      problems.push(`${queue.name}: ${queue.messages} parked`);
    else if (!queue.name.endsWith('.parking') && queue.name.includes('.events') && queue.messages)
      problems.push(`${queue.name}: ${queue.messages} still queued`);
  }
  for (const message of parked) {
    problems.push(
      `parked in ${message.queue}: ${message.type} ${message.orderId ?? ''} (${message.reason})`,
    );
  }
  return {
    name: 'queues drained, nothing parked',
    ok: problems.length === 0,
    summary: `${queues.length} queues`,
    problems,
  };
}

/** Only the first few problems of each check, for printing. */
export function examples(problems, limit = EXAMPLES) {
  return problems.length <= limit
    ? problems
    : [...problems.slice(0, limit), `… and ${problems.length - limit} more`];
}
