import { Injectable } from '@nestjs/common';
import type { CanActivate, ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PUBLIC_ROUTE } from '@member-system/shared/security';
import type { AuthenticatedRequest } from '@member-system/shared/security';
import { actorLimits, ipLimit, isExemptUrl, rateLimitedError } from './rate-limit-policy';
import type { Limit } from './rate-limit-policy';
import { RateLimiter } from './rate-limiter';

type GatewayRequest = FastifyRequest & AuthenticatedRequest;

/** Counts the request against `limitsOf` and refuses it with 429 and Retry-After when over one. */
async function enforce(
  limiter: RateLimiter,
  reflector: Reflector,
  context: ExecutionContext,
  limitsOf: (request: GatewayRequest) => Limit[],
): Promise<boolean> {
  if (!limiter.enabled || context.getType() !== 'http') return true;
  const targets = [context.getHandler(), context.getClass()];
  if (reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
  const http = context.switchToHttp();
  const request = http.getRequest<GatewayRequest>();
  if (isExemptUrl(request.routeOptions.url)) return true;
  const exceeded = await limiter.check(limitsOf(request));
  if (!exceeded) return true;
  void http.getResponse<FastifyReply>().header('retry-after', String(exceeded.retryAfterSeconds));
  throw rateLimitedError(exceeded, limiter.settings.windowSeconds);
}

/**
 * The per-IP limit. Registered before the AuthGuard, so requests that end in 401 or 403 count
 * too: a client guessing tokens is slowed down like any other.
 */
@Injectable()
export class IpRateLimitGuard implements CanActivate {
  constructor(
    private readonly limiter: RateLimiter,
    private readonly reflector: Reflector,
  ) {}

  canActivate(context: ExecutionContext): Promise<boolean> {
    return enforce(this.limiter, this.reflector, context, (request) => [
      ipLimit(request.ip, this.limiter.settings),
    ]);
  }
}

/**
 * The caller's own limits (member, admin or service token, plus check-in and spending). Registered
 * after the AuthGuard, which has attached the actor by then.
 */
@Injectable()
export class ActorRateLimitGuard implements CanActivate {
  constructor(
    private readonly limiter: RateLimiter,
    private readonly reflector: Reflector,
  ) {}

  canActivate(context: ExecutionContext): Promise<boolean> {
    return enforce(this.limiter, this.reflector, context, (request) =>
      request.actor
        ? actorLimits(
            request.actor,
            request.method,
            request.routeOptions.url,
            this.limiter.settings,
          )
        : [],
    );
  }
}
