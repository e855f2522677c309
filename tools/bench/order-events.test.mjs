// The order-event bench's arithmetic: the envelope it publishes, backlog growth, handler means.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { handlingBetween } from './order-events/handler-metrics.mjs';
import { orderCompleted } from './order-events/publisher.mjs';
import { slope } from './order-events/steps.mjs';

describe('bench:events', () => {
  it('publishes order.completed.v1 as docs/api/contract.md has it', () => {
    const envelope = orderCompleted({
      orderId: '9000000001',
      userId: '1000000007',
      amountCents: 12_305,
      at: Date.parse('2026-11-25T08:00:00Z'),
    });
    assert.equal(envelope.type, 'order.completed.v1');
    assert.deepEqual(envelope.payload, {
      orderId: '9000000001',
      userId: '1000000007',
      amount: '123.05',
      currency: 'CNY',
      completedAt: '2026-11-25T08:00:00.000Z',
    });
  });

  it('reads the backlog growth as the least-squares slope', () => {
    assert.equal(slope([]), 0);
    assert.equal(slope([[1, 5]]), 0);
    assert.equal(
      slope([
        [0, 10],
        [1, 30],
        [2, 50],
      ]),
      20,
    );
  });

  it('takes the mean handling time between two scrapes', () => {
    const before = { 'order.completed.v1': { sum: 1, count: 10 } };
    const after = { 'order.completed.v1': { sum: 3, count: 110 }, 'x.v1': { sum: 0, count: 0 } };
    assert.deepEqual(handlingBetween(before, after), {
      'order.completed.v1': { handled: 100, meanMs: 20 },
    });
  });
});
