import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  checkBalances,
  checkCheckIns,
  checkOrders,
  checkQueues,
  checkReconciliation,
  checkSpends,
  checkTotalSpent,
  examples,
  expectedOrderPoints,
} from './exactness.mjs';

const order = (orderId, amountCents, confirmed = true) => ({
  orderId,
  memberId: '7',
  amountCents,
  confirmedAt: confirmed ? 1 : undefined,
});
const earn = (sourceId, points, memberId = '7') => ({ sourceId, memberId, points });
const op = (naturalKey, transactionId = '1') => ({ naturalKey, transactionId });

describe('checkOrders', () => {
  it('passes when every order earned once with floor(amount) points', () => {
    const result = checkOrders({
      orders: [order('1', 1999), order('2', 100)],
      earnRows: [earn('1', 19), earn('2', 1)],
      operations: [op('1'), op('2')],
    });
    assert.equal(result.ok, true, result.problems.join('\n'));
    assert.equal(expectedOrderPoints(1999), 19);
  });

  it('finds lost, duplicated, mispriced, misdirected and unknown credits', () => {
    const result = checkOrders({
      orders: [order('lost', 500), order('twice', 500), order('price', 500), order('who', 500)],
      earnRows: [
        earn('twice', 5),
        earn('twice', 5),
        earn('price', 6),
        earn('who', 5, '8'),
        earn('stranger', 5),
      ],
      operations: [op('twice'), op('price'), op('who')],
    });
    assert.equal(result.ok, false);
    assert.deepEqual(result.problems, [
      'lost: never earned',
      'twice: earned 2 times',
      'price: earned 6 points, expected 5',
      'who: credited to member 8, not 7',
      'stranger: earned but never sent',
    ]);
  });

  it('lets an unconfirmed order earn zero times or once, never twice', () => {
    const fine = checkOrders({
      orders: [order('a', 100, false), order('b', 100, false)],
      earnRows: [earn('a', 1)],
      operations: [op('a')],
    });
    assert.equal(fine.ok, true);
    const twice = checkOrders({
      orders: [order('a', 100, false)],
      earnRows: [earn('a', 1), earn('a', 1)],
      operations: [op('a')],
    });
    assert.equal(twice.ok, false);
  });

  it('wants the natural key settled with the transaction', () => {
    const result = checkOrders({
      orders: [order('1', 100)],
      earnRows: [earn('1', 1)],
      operations: [op('1', null)],
    });
    assert.deepEqual(result.problems, ['1: natural key row missing or not settled']);
  });
});

describe('checkSpends', () => {
  const spend = (orderId, status, points = 3, code = '') => ({ orderId, status, points, code });
  const use = (sourceId, points = -3) => ({ sourceId, memberId: '7', points });

  it('matches answers with use rows', () => {
    const result = checkSpends({
      spends: [
        spend('ok', 201),
        spend('refused', 422, 3, 'POINTS_INSUFFICIENT'),
        spend('unknown-done', 503),
        spend('unknown-not', 0),
        spend('in-progress', 409, 3, 'REQUEST_IN_PROGRESS'),
      ],
      useRows: [use('ok'), use('unknown-done'), use('in-progress')],
    });
    assert.equal(result.ok, true, result.problems.join('\n'));
  });

  it('finds lost, duplicated, refused-but-spent and unasked spends', () => {
    const result = checkSpends({
      spends: [
        spend('lost', 201),
        spend('twice', 503),
        spend('refused', 422, 3, 'POINTS_INSUFFICIENT'),
        spend('amount', 201, 4),
      ],
      useRows: [use('twice'), use('twice'), use('refused'), use('amount'), use('extra')],
    });
    assert.deepEqual(result.problems, [
      'lost: answered 201 but nothing was spent',
      'twice: spent 2 times',
      'refused: refused (422 POINTS_INSUFFICIENT) but spent',
      'amount: spent 3, asked 4',
      'extra: spent but never asked',
    ]);
  });
});

describe('checkBalances', () => {
  const account = (overrides) => ({
    memberId: '7',
    available: '10',
    held: '0',
    frozen: '0',
    debt: '0',
    lifetimeEarned: '15',
    lotsRemaining: '10',
    lotsAmount: '15',
    historySum: '10',
    apiAvailable: 10,
    ...overrides,
  });

  it('passes a consistent account', () => {
    assert.equal(checkBalances([account({})]).ok, true);
  });

  it('names each disagreement', () => {
    const result = checkBalances([
      account({
        lotsRemaining: '9',
        historySum: '11',
        lotsAmount: '14',
        apiAvailable: 12,
        held: '1',
      }),
    ]);
    assert.equal(result.problems.length, 1);
    assert.match(result.problems[0], /available 10 ≠ lots remaining 9/);
    assert.match(result.problems[0], /available 10 ≠ history sum 11/);
    assert.match(result.problems[0], /lifetime earned 15 ≠ lots amount 14/);
    assert.match(result.problems[0], /held\/frozen\/debt 1\/0\/0/);
    assert.match(result.problems[0], /API says 12, stored 10/);
  });

  it('skips the API comparison when the balance could not be read', () => {
    assert.equal(checkBalances([account({ apiAvailable: undefined })]).ok, true);
  });
});

describe('checkTotalSpent', () => {
  it('sums the confirmed orders per member', () => {
    const orders = [order('1', 500), order('2', 700), order('3', 900, false)];
    const ok = checkTotalSpent({
      orders,
      spentRows: [{ memberId: 7, totalSpentCents: '1200', levelId: 1 }],
    });
    assert.equal(ok.ok, true, ok.problems.join('\n'));
    const arrived = checkTotalSpent({
      orders,
      spentRows: [{ memberId: 7, totalSpentCents: '2100', levelId: 1 }],
      earned: new Set(['3']),
    });
    assert.equal(arrived.ok, true, arrived.problems.join('\n'));
    const doubled = checkTotalSpent({
      orders,
      spentRows: [{ memberId: 7, totalSpentCents: '1700', levelId: 2 }],
    });
    assert.deepEqual(doubled.problems, [
      'member 7: total spent 1700 cents, orders 1200',
      'member 7: level 2, not 1',
    ]);
  });
});

describe('checkCheckIns', () => {
  it('wants one earn row per check-in', () => {
    const checkIns = [{ memberId: '7', businessDate: '2026-11-25' }];
    assert.equal(checkCheckIns({ checkIns, checkInRows: [{ memberId: '7' }] }).ok, true);
    assert.equal(
      checkCheckIns({ checkIns, checkInRows: [{ memberId: '7' }, { memberId: '7' }] }).ok,
      false,
    );
  });
});

describe('checkReconciliation', () => {
  it('passes only a result without drift', () => {
    assert.equal(checkReconciliation({ accounts: 3, drifted: 0, samples: [] }).ok, true);
    const drift = checkReconciliation({ accounts: 3, drifted: 1, samples: [{ memberId: '7' }] });
    assert.equal(drift.ok, false);
    assert.deepEqual(drift.problems, ['{"memberId":"7"}']);
    assert.equal(checkReconciliation('503 SERVICE_UNAVAILABLE').ok, false);
  });
});

describe('checkQueues', () => {
  it('fails on parked messages and on work left in event queues', () => {
    const clean = checkQueues({
      queues: [
        { name: 'point.events', messages: 0 },
        { name: 'point.events.parking', messages: 0 },
        { name: 'member-system.unrouted', messages: 12 },
      ],
      parked: [],
    });
    assert.equal(clean.ok, true);
    const dirty = checkQueues({
      queues: [
        { name: 'member.events.parking', messages: 1 },
        { name: 'point.events.retry.2000ms', messages: 2 },
      ],
      parked: [
        { queue: 'member.events.parking', type: 'order.completed.v1', orderId: '9', reason: 'x' },
      ],
    });
    assert.deepEqual(dirty.problems, [
      'member.events.parking: 1 parked',
      'point.events.retry.2000ms: 2 still queued',
      'parked in member.events.parking: order.completed.v1 9 (x)',
    ]);
  });
});

describe('examples', () => {
  it('keeps the first few and says how many more', () => {
    assert.deepEqual(examples(['a', 'b', 'c'], 2), ['a', 'b', '… and 1 more']);
    assert.deepEqual(examples(['a'], 2), ['a']);
  });
});
