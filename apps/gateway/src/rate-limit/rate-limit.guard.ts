import { Injectable } from '@nestjs/common';
import type { CanActivate, ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AccessTokenVerifier, PUBLIC_ROUTE } from '@member-system/shared/security';
import { bearerTokenOf } from '../auth/bearer-token';
import { actorLimits, ipLimit, isExemptUrl, rateLimitedError } from './rate-limit-policy';
import type { Limit } from './rate-limit-policy';
import { RateLimiter } from './rate-limiter';

/**
 * Counts every request against the client's IP and, when it carries a valid token, against the
 * caller's own budgets (member, admin or service, plus check-in and spending), all in one Redis
 * call, and refuses it with 429 and Retry-After when over one. Registered before the AuthGuard,
 * so requests that end in 401 or 403 count against the IP too: a client guessing tokens is slowed
 * down like any other. The token check is the AuthGuard's own, remembered, so it costs little.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(
    private readonly limiter: RateLimiter,
    private readonly reflector: Reflector,
    private readonly tokens: AccessTokenVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (!this.limiter.enabled || context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    if (isExemptUrl(request.routeOptions.url)) return true;
    const exceeded = await this.limiter.check([
      ipLimit(request.ip, this.limiter.settings),
      ...(await this.callerLimits(request)),
    ]);
    if (!exceeded) return true;
    void http.getResponse<FastifyReply>().header('retry-after', String(exceeded.retryAfterSeconds));
    throw rateLimitedError(exceeded, this.limiter.settings.windowSeconds);
  }

  /** The budgets of the token's holder; none for a request without a valid token. */
  private async callerLimits(request: FastifyRequest): Promise<Limit[]> {
    const token = bearerTokenOf(request.headers.authorization);
    if (!token) return [];
    let identity;
    try {
      identity = await this.tokens.verify(token);
    } catch {
      return []; // the AuthGuard answers 401 or 503
    }
    return actorLimits(identity, request.method, request.routeOptions.url, this.limiter.settings);
  }
}
