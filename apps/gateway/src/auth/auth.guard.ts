import { Injectable } from '@nestjs/common';
import type { CanActivate, ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { ErrorCode } from '@member-system/contracts';
import type { AdminPermission, Role } from '@member-system/contracts';
import { AppException, ServiceUnavailableException } from '@member-system/shared/errors';
import {
  AccessTokenVerifier,
  InvalidTokenError,
  KeySetUnavailableError,
  PUBLIC_ROUTE,
  REQUIRED_PERMISSION,
  REQUIRED_ROLES,
} from '@member-system/shared/security';
import type { AuthenticatedRequest, TokenIdentity } from '@member-system/shared/security';
import { correlate } from '../http/request-correlation';
import { bearerTokenOf } from './bearer-token';

/**
 * Authenticates every route not marked @Public and checks its roles and admin permission.
 * A route without @Roles or @RequirePermission is closed to everyone: access is granted, never assumed.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: AccessTokenVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;

    const request = context.switchToHttp().getRequest<FastifyRequest & AuthenticatedRequest>();
    const token = bearerTokenOf(request.headers.authorization);
    if (!token) throw new AppException(ErrorCode.Unauthenticated, 'A bearer token is required');
    const identity = await this.identityOf(token);
    const userAgent = request.headers['user-agent'];
    request.actor = {
      ...identity,
      ip: request.ip,
      ...(userAgent ? { userAgent: userAgent.slice(0, 256) } : {}),
    };
    correlate(request.actor, request.correlationId);

    const permissions = this.reflector.getAllAndOverride<AdminPermission[] | undefined>(
      REQUIRED_PERMISSION,
      targets,
    );
    if (permissions) {
      if (
        identity.roles.includes('admin') &&
        permissions.some((permission) => identity.perms.includes(permission))
      ) {
        return true;
      }
      throw new AppException(
        ErrorCode.Forbidden,
        `This route needs the admin permission ${permissions.join(' or ')}`,
      );
    }
    const roles =
      this.reflector.getAllAndOverride<Role[] | undefined>(REQUIRED_ROLES, targets) ?? [];
    if (roles.some((role) => identity.roles.includes(role))) return true;
    throw new AppException(
      ErrorCode.Forbidden,
      `This route needs one of the roles: ${roles.join(', ') || 'none'}`,
    );
  }

  /** The token's caller; 401 for a token not accepted, 503 when the provider's keys are out of reach. */
  private async identityOf(token: string): Promise<TokenIdentity> {
    try {
      return await this.tokens.verify(token);
    } catch (error) {
      if (error instanceof KeySetUnavailableError) {
        throw new ServiceUnavailableException(
          'identity-provider',
          "The identity provider's keys cannot be fetched to check the token; try again shortly",
        );
      }
      if (error instanceof InvalidTokenError) {
        throw new AppException(error.code, `The token is not valid: ${error.message}`);
      }
      throw error;
    }
  }
}
