import type { Actor } from '@member-system/contracts';
import { commandOf } from '../infra/rpc-command';
import { correlate, correlationIdOf } from './request-correlation';

describe('request correlation', () => {
  const actorOf = (userId: string): Actor => ({ userId, roles: ['member'], perms: [] });

  it("gives a command the correlation id of the actor's request", () => {
    const actor = actorOf('7');
    correlate(actor, 'req-7');
    expect(commandOf(actor, { page: 1 })).toEqual({
      data: { page: 1 },
      actor,
      correlationId: 'req-7',
    });
    expect(correlationIdOf(actor)).toBe('req-7');
  });

  it('keeps two requests of one user apart', () => {
    const first = actorOf('8');
    const second = actorOf('8');
    correlate(first, 'req-a');
    correlate(second, 'req-b');
    expect([correlationIdOf(first), correlationIdOf(second)]).toEqual(['req-a', 'req-b']);
  });

  it('makes up a new id for an actor made outside a request', () => {
    const id = correlationIdOf(actorOf('9'));
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(correlationIdOf(actorOf('9'))).not.toBe(id);
  });
});
