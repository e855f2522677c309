import { UseInterceptors } from '@nestjs/common';
import { AuditedWritesInterceptor } from '../audit/audited-writes.interceptor';
import { IdempotencyInterceptor } from '../idempotency/idempotency.interceptor';

/**
 * Marks a route that changes something: its `Idempotency-Key` is honoured, and an admin write is
 * audited (after idempotency: a replay changes nothing, so it is not audited again). Reads carry no
 * interceptor at all, so they skip Nest's interceptor chain, which costs an async resource per
 * interceptor per request. `write-route.spec.ts` checks that every mutating route carries it.
 */
export const WriteRoute = (): MethodDecorator & ClassDecorator =>
  UseInterceptors(IdempotencyInterceptor, AuditedWritesInterceptor);
