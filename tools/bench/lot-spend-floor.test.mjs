import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { allocateFifo, settleStatements, spendEnvelopeParts } from './lot-spend-floor.mjs';

describe('allocateFifo', () => {
  const lots = [
    { id: '7', remaining: '1' },
    { id: '3', remaining: '5000' },
    { id: '9', remaining: '20' },
  ];

  it('draws from the lots in the order given, each as far as it goes', () => {
    assert.deepEqual(allocateFifo(lots, 1), [{ lotId: '7', points: 1 }]);
    assert.deepEqual(allocateFifo(lots, 2), [
      { lotId: '7', points: 1 },
      { lotId: '3', points: 1 },
    ]);
    assert.deepEqual(allocateFifo(lots, 5010), [
      { lotId: '7', points: 1 },
      { lotId: '3', points: 5000 },
      { lotId: '9', points: 9 },
    ]);
  });

  it('skips empty lots and answers null when the lots hold too little', () => {
    assert.deepEqual(
      allocateFifo(
        [
          { id: 1, remaining: 0 },
          { id: 2, remaining: 3 },
        ],
        2,
      ),
      [{ lotId: '2', points: 2 }],
    );
    assert.equal(allocateFifo(lots, 5022), null);
    assert.equal(allocateFifo([], 1), null);
  });
});

describe('spendEnvelopeParts', () => {
  const member = { memberId: '12', userId: '1000012' };
  const at = new Date('2026-03-01T10:00:00.000Z');
  const eventId = '2f1c8a34-3a53-4b7e-9c9e-6f1d0b2a7c11';

  it("joins around the history row's id and the balance into raw-spend's envelope", () => {
    const { type, head, middle, tail } = spendEnvelopeParts({
      eventId,
      at,
      member,
      points: 2,
      key: 'run-1-floor-5',
    });
    assert.equal(type, 'points.used.v1');
    const text = `${head}${'123456'}${middle}${9998}${tail}`;
    assert.equal(
      text,
      JSON.stringify({
        eventId,
        type: 'points.used.v1',
        occurredAt: '2026-03-01T10:00:00.000Z',
        correlationId: `bench-${eventId}`,
        producer: 'point-service',
        payload: {
          memberId: '12',
          userId: '1000012',
          points: 2,
          source: 'order',
          sourceId: 'run-1-floor-5',
          transactionId: '123456',
          balanceAfter: 9998,
        },
      }),
    );
  });
});

describe('settleStatements', () => {
  const member = { memberId: '12', userId: '1000012' };
  const envelope = { type: 'points.used.v1', head: 'H', middle: 'M', tail: 'T' };

  it('sends the lots, the history row, one allocations insert, the outbox row and COMMIT', () => {
    const draws = [
      { lotId: '7', points: 1 },
      { lotId: '3', points: 1 },
    ];
    const statements = settleStatements({
      member,
      key: 'k',
      points: 2,
      draws,
      eventId: 'e',
      envelope,
    });
    assert.equal(statements.length, 6);
    assert.deepEqual(statements[0], [
      'UPDATE point_lot SET remaining = remaining - ? WHERE id = ?',
      [1, '7'],
    ]);
    assert.deepEqual(statements[1][1], [1, '3']);
    assert.match(statements[2][0], /^INSERT INTO point_transaction/);
    assert.match(statements[2][0], /SELECT member_id, \?, \?, available, frozen, held, debt/);
    assert.deepEqual(statements[2][1], ['use', -2, 'order', 'k', '12']);
    assert.match(
      statements[3][0],
      /VALUES \(LAST_INSERT_ID\(\), \?, \?\), \(LAST_INSERT_ID\(\), \?, \?\)$/,
    );
    assert.deepEqual(statements[3][1], ['7', 1, '3', 1]);
    assert.match(statements[4][0], /CONCAT\(\?, LAST_INSERT_ID\(\), \?, @balance, \?\)/);
    assert.deepEqual(statements[4][1], [
      'e',
      'points.used.v1',
      'member-system.events',
      'H',
      'M',
      'T',
    ]);
    assert.deepEqual(statements[5], ['COMMIT', []]);
    // Every placeholder has its value.
    for (const [sql, params] of statements) {
      assert.equal((sql.match(/\?/g) ?? []).length, params.length, sql);
    }
  });
});
