import { SetMetadata, createParamDecorator } from '@nestjs/common';
import type { ExecutionContext } from '@nestjs/common';
import type { Actor, AdminPermission, Role } from '@member-system/contracts';

export const PUBLIC_ROUTE = 'ms:public-route';
export const REQUIRED_ROLES = 'ms:required-roles';
export const REQUIRED_PERMISSION = 'ms:required-permission';

/** No token needed (health, metrics, docs). Every other route requires one. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_ROUTE, true);

/** The caller must hold one of these roles. */
export const Roles = (...roles: Role[]): MethodDecorator & ClassDecorator =>
  SetMetadata(REQUIRED_ROLES, roles);

/** Admin routes: role `admin` plus this permission (or any one of these). */
export const RequirePermission = (
  ...permissions: [AdminPermission, ...AdminPermission[]]
): MethodDecorator => SetMetadata(REQUIRED_PERMISSION, permissions);

export interface AuthenticatedRequest {
  actor?: Actor;
}

/** The authenticated caller, set by the gateway's auth guard. */
export const CurrentActor = createParamDecorator((_: unknown, context: ExecutionContext): Actor => {
  const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
  if (!request.actor) throw new Error('CurrentActor used on a route without authentication');
  return request.actor;
});
