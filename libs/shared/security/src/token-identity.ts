// Who a verified token's claims name: pure rules, no keys or clocks.
import {
  ADMIN_PERMISSIONS,
  ErrorCode,
  ROLES,
  SERVICE_SUBJECT_PATTERN,
  isPlatformUserId,
  isServiceOnly,
} from '@member-system/contracts';
import type { Actor, AdminPermission, Role } from '@member-system/contracts';

export type TokenIdentity = Pick<Actor, 'userId' | 'roles' | 'perms'>;

/** A token that is not accepted: a 401 with `code` (UNAUTHENTICATED unless more is known). */
export class InvalidTokenError extends Error {
  constructor(
    message: string,
    readonly code:
      ErrorCode.Unauthenticated | ErrorCode.TokenUserIdInvalid = ErrorCode.Unauthenticated,
  ) {
    super(message);
  }
}

/** Claims no identity provider may use for the user id: the gateway reads them for other things. */
export const RESERVED_CLAIMS = ['roles', 'perms', 'iss', 'aud', 'exp', 'nbf', 'iat', 'jti'];

/**
 * The caller named by a token's claims. `userIdClaim` (JWT_USER_ID_CLAIM) carries the platform
 * user id of members and admins, who must have one: it links the token to the member. A service
 * token (role `service` alone) is known by a named subject instead (`cart-service`): the user id
 * claim when the provider sets it, otherwise `sub`.
 */
export function identityOf(claims: Record<string, unknown>, userIdClaim: string): TokenIdentity {
  const roles = rolesOf(claims['roles']);
  const perms = permsOf(claims['perms']);
  const claimed = userIdOf(claims[userIdClaim]);
  if (isServiceOnly(roles)) {
    const subject = claimed ?? userIdOf(claims['sub']);
    if (subject === undefined || !SERVICE_SUBJECT_PATTERN.test(subject)) {
      throw new InvalidTokenError(
        `a service token's ${claimed === undefined ? 'sub' : userIdClaim} must name the service: 1-64 of A-Z a-z 0-9 . _ : -`,
      );
    }
    return { userId: subject, roles, perms };
  }
  if (claimed === undefined || !isPlatformUserId(claimed)) {
    throw new InvalidTokenError(
      `${userIdClaim} must be a decimal platform user id for a member or admin token`,
      ErrorCode.TokenUserIdInvalid,
    );
  }
  return { userId: claimed, roles, perms };
}

/** A claim as a user id: a string, or a whole number some providers send; undefined otherwise. */
function userIdOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  return undefined;
}

function rolesOf(roles: unknown): Role[] {
  if (
    !Array.isArray(roles) ||
    roles.length === 0 ||
    !roles.every((role) => (ROLES as readonly unknown[]).includes(role))
  ) {
    throw new InvalidTokenError(`roles must be a non-empty array of ${ROLES.join(', ')}`);
  }
  return roles as Role[];
}

function permsOf(perms: unknown): AdminPermission[] {
  const permissions = perms === undefined ? [] : perms;
  if (
    !Array.isArray(permissions) ||
    !permissions.every((perm) => (ADMIN_PERMISSIONS as readonly unknown[]).includes(perm))
  ) {
    throw new InvalidTokenError('perms must be an array of known permissions');
  }
  return permissions as AdminPermission[];
}
