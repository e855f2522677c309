import type { Actor } from '@member-system/contracts';
import { newCorrelationId } from '@member-system/shared/observability';

/**
 * The correlation id of the request each actor was authenticated in. The AuthGuard makes one
 * actor object per request, and that object is what controllers already hand to `commandOf` and
 * the audit trail, so it takes the request's id to them without an async context.
 */
const ofActor = new WeakMap<Pick<Actor, 'userId'>, string>();

export function correlate(actor: Actor, correlationId: string): void {
  ofActor.set(actor, correlationId);
}

/** The request's correlation id; a new one for an actor made outside a request (a test). */
export function correlationIdOf(actor: Pick<Actor, 'userId'>): string {
  return ofActor.get(actor) ?? newCorrelationId();
}
