import { Injectable } from '@nestjs/common';
import type { CanActivate, ExecutionContext } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import type { FastifyRequest } from 'fastify';
import { ValidationFailedException } from '@member-system/shared/errors';

/**
 * A route that reads no body (a check-in, a publish) refuses one that says something, rather
 * than ignoring it: a client sending fields that mean nothing here has made a mistake. Routes
 * that take a body validate it themselves (unknown fields included); an empty object passes.
 */
@Injectable()
export class NoUnexpectedBodyGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const body = context.switchToHttp().getRequest<FastifyRequest>().body;
    if (body === undefined || body === null || isEmptyObject(body)) return true;
    const args = (Reflect.getMetadata(
      ROUTE_ARGS_METADATA,
      context.getClass(),
      context.getHandler().name,
    ) ?? {}) as Record<string, unknown>;
    const readsBody = Object.keys(args).some(
      (key) => Number(key.split(':')[0]) === Number(RouteParamtypes.BODY),
    );
    if (readsBody) return true;
    throw new ValidationFailedException({ body: ['this route takes no body'] });
  }
}

function isEmptyObject(value: unknown): boolean {
  return (
    typeof value === 'object' && !Array.isArray(value) && Object.keys(value as object).length === 0
  );
}
