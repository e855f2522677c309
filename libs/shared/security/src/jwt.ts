import jwt from 'jsonwebtoken';
import { ADMIN_PERMISSIONS, ROLES } from '@member-system/contracts';
import type { Actor, AdminPermission, Role } from '@member-system/contracts';

/** A class so that Nest can inject it by type. */
export abstract class JwtSettings {
  algorithm!: 'HS256' | 'RS256';
  /** The shared secret (HS256) or the PEM public key (RS256). */
  key!: string;
  issuer!: string;
  audience!: string;
  clockToleranceSeconds!: number;
}

export class InvalidTokenError extends Error {}

/** Verifies a bearer token (signature, expiry, issuer, audience) and reads the caller from it. */
export function verifyAccessToken(
  token: string,
  settings: JwtSettings,
): Pick<Actor, 'userId' | 'roles' | 'perms'> {
  let claims: unknown;
  try {
    claims = jwt.verify(token, settings.key, {
      algorithms: [settings.algorithm],
      issuer: settings.issuer,
      audience: settings.audience,
      clockTolerance: settings.clockToleranceSeconds,
    });
  } catch (error) {
    throw new InvalidTokenError(error instanceof Error ? error.message : 'invalid token');
  }
  if (typeof claims !== 'object' || claims === null)
    throw new InvalidTokenError('token has no claims');
  const { sub, roles, perms } = claims as { sub?: unknown; roles?: unknown; perms?: unknown };
  if (typeof sub !== 'string' || !/^[1-9]\d{0,18}$/.test(sub)) {
    throw new InvalidTokenError('sub must be a decimal user id');
  }
  if (
    !Array.isArray(roles) ||
    roles.length === 0 ||
    !roles.every((role) => (ROLES as readonly unknown[]).includes(role))
  ) {
    throw new InvalidTokenError(`roles must be a non-empty array of ${ROLES.join(', ')}`);
  }
  const permissions = perms === undefined ? [] : perms;
  if (
    !Array.isArray(permissions) ||
    !permissions.every((perm) => (ADMIN_PERMISSIONS as readonly unknown[]).includes(perm))
  ) {
    throw new InvalidTokenError('perms must be an array of known permissions');
  }
  return { userId: sub, roles: roles as Role[], perms: permissions as AdminPermission[] };
}
