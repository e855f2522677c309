import { createHash } from 'node:crypto';
import { Inject, Injectable, SetMetadata } from '@nestjs/common';
import type { CallHandler, ExecutionContext, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { from, lastValueFrom } from 'rxjs';
import type { Observable } from 'rxjs';
import { ErrorCode } from '@member-system/contracts';
import type { Actor } from '@member-system/contracts';
import { AppException, ServiceUnavailableException } from '@member-system/shared/errors';
import { REQUIRED_PERMISSION } from '@member-system/shared/security';
import { LOGGER } from '@member-system/shared/service';
import { AuditTrail } from './audit-trail';
import type { AuditEntry } from './audit-trail';
import { correlationIdOf } from '../http/request-correlation';

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const AUDITS_ITSELF = 'ms:audits-itself';
/** Request and answer bodies bigger than this are kept as a summary (size, hash, item count). */
const MAX_KEPT_JSON = 16 * 1024;

/** For the admin writes whose handler keeps a finer record itself (an erasure). */
export const AuditsItself = (): MethodDecorator => SetMetadata(AUDITS_ITSELF, true);

type Request = FastifyRequest & { actor?: Actor };

/**
 * Every admin write (a mutating route that needs an admin permission) is audited: an `attempted`
 * record before it runs — if that cannot be written, the write is refused with 503, so no admin
 * change goes unrecorded — then its outcome. The action is the route (`PUT
 * /admin/members/:memberId/level`), the target the `memberId` in the path, `before` what was asked
 * and `after` what came back (or the error code).
 */
@Injectable()
export class AuditedWritesInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly audit: AuditTrail,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<Request>();
    const handler = context.getHandler();
    if (
      !MUTATING.has(request.method) ||
      !request.actor ||
      !this.reflector.get<readonly string[] | undefined>(REQUIRED_PERMISSION, handler) ||
      this.reflector.get<boolean | undefined>(AUDITS_ITSELF, handler)
    ) {
      return next.handle();
    }
    const params = (request.params ?? {}) as Record<string, unknown>;
    const entry: Omit<AuditEntry, 'outcome'> = {
      action: `${request.method} ${(request.routeOptions.url ?? request.url).replace(/^\/api\/v1/, '')}`,
      operator: request.actor,
      targetMemberId: memberIdIn(params['memberId']),
    };
    return from(this.audited(entry, keptJson(request.body ?? null), next));
  }

  private async audited(
    entry: Omit<AuditEntry, 'outcome'>,
    asked: unknown,
    next: CallHandler,
  ): Promise<unknown> {
    try {
      await this.audit.record({ ...entry, outcome: 'attempted', before: asked });
    } catch (error) {
      this.logger.error(
        { err: error, action: entry.action, correlationId: correlationIdOf(entry.operator) },
        'admin write refused: no audit',
      );
      throw new ServiceUnavailableException(
        'audit',
        'The audit trail is unavailable, so admin changes are refused; try again shortly',
      );
    }
    try {
      const answer: unknown = await lastValueFrom(next.handle(), { defaultValue: undefined });
      await this.recordOutcome({
        ...entry,
        outcome: 'succeeded',
        before: asked,
        after: keptJson(answer ?? null),
      });
      return answer;
    } catch (error) {
      const code: string = error instanceof AppException ? error.code : ErrorCode.Internal;
      await this.recordOutcome({
        ...entry,
        outcome: code === String(ErrorCode.Forbidden) ? 'refused' : 'failed',
        before: asked,
        after: { error: code },
      });
      throw error;
    }
  }

  /** The outcome is best effort: the `attempted` record already stands for the write. */
  private async recordOutcome(entry: AuditEntry): Promise<void> {
    await this.audit.record(entry).catch((error: unknown) => {
      this.logger.error(
        { err: error, action: entry.action, correlationId: correlationIdOf(entry.operator) },
        'admin write outcome not audited',
      );
    });
  }
}

/** The value, or a summary of it when it is too big to keep whole (a batch of thousands). */
export function keptJson(value: unknown): unknown {
  const text = JSON.stringify(value) ?? 'null';
  if (text.length <= MAX_KEPT_JSON) return value;
  const items = (value as { items?: unknown } | null)?.items;
  return {
    summarized: true,
    bytes: text.length,
    sha256: createHash('sha256').update(text).digest('hex'),
    ...(Array.isArray(items) ? { items: items.length } : {}),
  };
}

/** The path's member id when it can be one (a BIGINT UNSIGNED); a malformed one is no target. */
function memberIdIn(raw: unknown): string | null {
  return typeof raw === 'string' &&
    /^[1-9]\d{0,19}$/.test(raw) &&
    BigInt(raw) <= MAX_BIGINT_UNSIGNED
    ? raw
    : null;
}

const MAX_BIGINT_UNSIGNED = 2n ** 64n - 1n;
