import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { CallHandler, ExecutionContext, NestInterceptor } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { from, lastValueFrom } from 'rxjs';
import type { Observable } from 'rxjs';
import { ErrorCode, isErrorCode } from '@member-system/contracts';
import type { Actor } from '@member-system/contracts';
import { AppException } from '@member-system/shared/errors';
import { LOGGER } from '@member-system/shared/service';
import { canonicalJson } from '../audit/audit-chain';
import { GatewayConfig } from '../config/gateway.config';
import { httpStatusOf } from '../http/error-status';
import { checkedIdempotencyKey } from '../infra/idempotency-key';
import { IdempotencyStore } from './idempotency-store';
import type { IdempotencyRecord, IdempotentAnswer } from './idempotency-store';

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

type Request = FastifyRequest & { actor?: Actor };

/**
 * docs/api/contract.md "Conventions": a mutating call with `Idempotency-Key` runs once per caller and key. A
 * replay with the same request answers what the first did (same status and body, with
 * `Idempotent-Replayed: true`; an error replays its code, message and details); the same key
 * with another request is 422 IDEMPOTENCY_KEY_REUSED; while the first still runs, 409
 * REQUEST_IN_PROGRESS. An answer without a definite outcome (a 5xx, a service that did not
 * answer) is not kept, so the caller can try again. The records live in the gateway's MySQL
 * (IdempotencyStore), Redis only caches answers: without Redis every key still works. Without the
 * gateway's MySQL a new key cannot be claimed, so such a call is refused with 503 rather than run
 * unprotected (a replay whose answer Redis still holds is answered).
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly store: IdempotencyStore,
    @Inject(GatewayConfig) private readonly config: GatewayConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const request = http.getRequest<Request>();
    const header = request.headers['idempotency-key'];
    if (!MUTATING.has(request.method) || header === undefined || !request.actor) {
      return next.handle();
    }
    const key = checkedIdempotencyKey(Array.isArray(header) ? header.join(',') : header);
    if (key === undefined) return next.handle();
    const reply = http.getResponse<FastifyReply>();
    return from(this.once(request, reply, key, next));
  }

  private async once(
    request: Request,
    reply: FastifyReply,
    key: string,
    next: CallHandler,
  ): Promise<unknown> {
    const actor = request.actor as Actor;
    const storeKey = `idem:${actor.userId}:${createHash('sha256').update(key).digest('hex')}`;
    const fingerprint = createHash('sha256')
      .update(`${request.method} ${request.url}\n${canonicalJson(request.body ?? null)}`)
      .digest('hex');
    let held: IdempotencyRecord | undefined;
    try {
      held = await this.store.begin(storeKey, fingerprint, this.config.IDEMPOTENCY_IN_FLIGHT_MS);
    } catch (error) {
      this.logger.warn(
        { err: error, correlationId: request.correlationId },
        'idempotency keys unavailable: the gateway database did not answer',
      );
      throw new AppException(
        ErrorCode.ServiceUnavailable,
        'Idempotency keys cannot be checked right now; try again shortly',
      );
    }
    if (held) return this.answerFrom(held, fingerprint, reply);

    const retentionMs = this.config.IDEMPOTENCY_RETENTION_HOURS * 3_600_000;
    try {
      const body: unknown = await lastValueFrom(next.handle(), { defaultValue: undefined });
      await this.keep(storeKey, { state: 'done', fingerprint, body }, retentionMs);
      return body;
    } catch (error) {
      const status = error instanceof AppException ? httpStatusOf(error.code) : 500;
      if (error instanceof AppException && status < 500) {
        const { code, message, details } = error;
        await this.keep(
          storeKey,
          {
            state: 'failed',
            fingerprint,
            status,
            error: { code, message, ...(details ? { details } : {}) },
          },
          retentionMs,
        );
      } else {
        await this.store.release(storeKey).catch(() => undefined);
      }
      throw error;
    }
  }

  private answerFrom(held: IdempotencyRecord, fingerprint: string, reply: FastifyReply): unknown {
    if (held.fingerprint !== fingerprint) {
      throw new AppException(
        ErrorCode.IdempotencyKeyReused,
        'This Idempotency-Key was used for another request',
      );
    }
    if (held.state === 'in-flight') {
      throw new AppException(
        ErrorCode.RequestInProgress,
        'The first request with this Idempotency-Key is still running',
      );
    }
    void reply.header('idempotent-replayed', 'true');
    if (held.state === 'done') return held.body;
    const code = isErrorCode(held.error.code) ? held.error.code : ErrorCode.Internal;
    throw new AppException(code, held.error.message, held.error.details);
  }

  /** Keeping the answer is best effort: the request itself succeeded or failed already. */
  private async keep(
    storeKey: string,
    record: IdempotentAnswer,
    retentionMs: number,
  ): Promise<void> {
    await this.store.finish(storeKey, record, retentionMs).catch((error: unknown) => {
      this.logger.warn({ err: error }, 'could not keep an idempotent answer');
    });
  }
}
