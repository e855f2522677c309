import { Injectable } from '@nestjs/common';
import type { CanActivate, ExecutionContext } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isRefusedInReadOnlyMode, readOnlyRefusal } from './read-only-policy';
import { ReadOnlyMode } from './read-only-mode';
import { retryAfterSecondsOf } from './read-only-state';

/**
 * Refuses writes with 503 READ_ONLY_MODE while read-only mode is on. Registered after the
 * AuthGuard, so an unauthenticated or forbidden write still gets its 401 or 403.
 */
@Injectable()
export class ReadOnlyGuard implements CanActivate {
  constructor(private readonly mode: ReadOnlyMode) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    if (!isRefusedInReadOnlyMode(request.method, request.routeOptions.url)) return true;
    const state = await this.mode.current();
    if (!state.enabled) return true;
    void http
      .getResponse<FastifyReply>()
      .header('retry-after', String(retryAfterSecondsOf(state, new Date())));
    throw readOnlyRefusal(state);
  }
}
