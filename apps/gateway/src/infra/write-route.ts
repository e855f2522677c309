import { applyDecorators, UseInterceptors } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import { AuditedWritesInterceptor } from '../audit/audited-writes.interceptor';
import { IdempotencyInterceptor } from '../idempotency/idempotency.interceptor';

/**
 * Marks a route that changes something: its `Idempotency-Key` is honoured (and documented), and an
 * admin write is audited (after idempotency: a replay changes nothing, so it is not audited again).
 * Reads carry no interceptor at all, so they skip Nest's interceptor chain, which costs an async
 * resource per interceptor per request. `write-route.spec.ts` checks that every mutating route
 * carries it.
 */
export const WriteRoute = (): MethodDecorator & ClassDecorator =>
  applyDecorators(
    UseInterceptors(IdempotencyInterceptor, AuditedWritesInterceptor),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description:
        'Makes a retry safe: the first answer for this caller and key is replayed (with ' +
        '`Idempotent-Replayed: true`) for 24 hours; the key with another request is 422 ' +
        'IDEMPOTENCY_KEY_REUSED, one still running 409 REQUEST_IN_PROGRESS.',
      schema: { type: 'string', minLength: 1, maxLength: 128, pattern: '^[\\x21-\\x7e]{1,128}$' },
      example: '7f9c2b1e-4a3d-4f0e-9d2c-1b5a6e8f0a12',
    }),
  );
