// Mints HS256 access tokens that a local fleet accepts; shared by `npm run token` and the dev runner.
// The role and permission lists mirror ROLES and ADMIN_PERMISSIONS in libs/contracts/src/common/actor.ts
// (plain Node cannot import the TypeScript source).
import { createHmac } from 'node:crypto';

export const ROLES = Object.freeze(['member', 'admin', 'service']);

export const ADMIN_PERMISSIONS = Object.freeze([
  'members:read',
  'members:pii',
  'members:write',
  'levels:write',
  'points:adjust',
  'benefits:write',
  'campaigns:write',
  'audit:read',
  'system:write',
  'points:approve',
  'reports:read',
]);

export const DEV_JWT_SECRET = 'member-system-dev-secret';
export const DEV_JWT_ISSUER = 'member-system-dev';
export const DEV_JWT_AUDIENCE = 'member-system';
export const DEFAULT_TTL_SECONDS = 86400;

/** Members and admins are platform users: their `sub` is a positive decimal user id. */
const USER_ID = /^[1-9]\d{0,18}$/;
/** A service token names the service instead (`cart-service`). */
const SERVICE_SUBJECT = /^[A-Za-z0-9._:-]{1,64}$/;

/**
 * Signs a token with the claims the gateway reads: `sub`, `roles`, `perms`, plus `iss`, `aud`,
 * `iat` and `exp`. Settings left out fall back to JWT_SECRET / JWT_ISSUER / JWT_AUDIENCE and then to
 * the local defaults. Throws on an unknown role or permission, a bad user id or ttl.
 *
 * @param {{ sub: string | number, roles?: string[], perms?: string[], ttlSeconds?: number,
 *   secret?: string, issuer?: string, audience?: string }} options
 * @returns {string}
 */
export function mintToken({
  sub,
  roles = ['member'],
  perms = [],
  ttlSeconds = DEFAULT_TTL_SECONDS,
  secret = process.env.JWT_SECRET || DEV_JWT_SECRET,
  issuer = process.env.JWT_ISSUER || DEV_JWT_ISSUER,
  audience = process.env.JWT_AUDIENCE || DEV_JWT_AUDIENCE,
}) {
  const subject = String(sub ?? '');
  if (!Array.isArray(roles) || roles.length === 0) {
    throw new Error(`roles must name at least one of: ${ROLES.join(', ')}`);
  }
  const serviceOnly = roles.every((role) => role === 'service');
  if (serviceOnly ? !SERVICE_SUBJECT.test(subject) : !USER_ID.test(subject)) {
    throw new Error(
      serviceOnly
        ? `sub must name the service (1-64 of A-Z a-z 0-9 . _ : -), got "${subject}"`
        : `sub must be a positive decimal user id, got "${subject}"`,
    );
  }
  const unknownRoles = roles.filter((role) => !ROLES.includes(role));
  if (unknownRoles.length > 0) {
    throw new Error(`unknown role(s): ${unknownRoles.join(', ')} (known: ${ROLES.join(', ')})`);
  }
  if (!Array.isArray(perms)) throw new Error('perms must be an array');
  const unknownPerms = perms.filter((perm) => !ADMIN_PERMISSIONS.includes(perm));
  if (unknownPerms.length > 0) {
    throw new Error(
      `unknown permission(s): ${unknownPerms.join(', ')} (known: ${ADMIN_PERMISSIONS.join(', ')}, or all)`,
    );
  }
  if (!Number.isSafeInteger(ttlSeconds) || ttlSeconds <= 0) {
    throw new Error(`ttlSeconds must be a positive whole number of seconds, got ${ttlSeconds}`);
  }
  if (!secret) throw new Error('secret must not be empty');

  const iat = Math.floor(Date.now() / 1000);
  return signHs256(
    {
      sub: subject,
      roles: [...new Set(roles)],
      perms: [...new Set(perms)],
      iss: issuer,
      aud: audience,
      iat,
      exp: iat + ttlSeconds,
    },
    secret,
  );
}

/** A compact HS256 JWS of `claims` (RFC 7515): all a local token needs, no library. */
export function signHs256(claims, secret) {
  const encode = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const body = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(claims)}`;
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
}
