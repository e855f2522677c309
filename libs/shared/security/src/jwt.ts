import { createPublicKey, createSecretKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { ADMIN_PERMISSIONS, ROLES } from '@member-system/contracts';
import type { Actor, AdminPermission, Role } from '@member-system/contracts';

/** A class so that Nest can inject it by type. */
export abstract class JwtSettings {
  algorithm!: 'HS256' | 'RS256';
  /**
   * The shared secret (HS256) or the PEM public keys (RS256). A token signed with any of them is
   * accepted, so the issuer's key can be rotated: add the new key, switch the issuer, then drop
   * the old key once its last tokens have expired.
   */
  keys!: readonly string[];
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
  const claims = verifiedClaims(token, settings);
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

/**
 * The claims of a token signed with one of the keys. jsonwebtoken checks the signature before the
 * claims, so any error other than a bad signature comes from the key that signed the token, and
 * that is the one reported (an expired token says it expired, not that another key didn't fit).
 */
function verifiedClaims(token: string, settings: JwtSettings): unknown {
  let failure: unknown;
  for (const key of settings.keys) {
    try {
      return jwt.verify(token, keyObjectOf(settings.algorithm, key), {
        algorithms: [settings.algorithm],
        issuer: settings.issuer,
        audience: settings.audience,
        clockTolerance: settings.clockToleranceSeconds,
      });
    } catch (error) {
      if (failure === undefined || isBadSignature(failure)) failure = error;
    }
  }
  throw new InvalidTokenError(failure instanceof Error ? failure.message : 'no verification key');
}

const keyObjects = new Map<string, KeyObject>();

/**
 * The key as a KeyObject, made once per key. Given a string, jsonwebtoken parses it on every call
 * (and for a secret first fails to parse it as a public key): that was a quarter of the gateway's
 * CPU time under load.
 */
function keyObjectOf(algorithm: JwtSettings['algorithm'], key: string): KeyObject {
  const id = `${algorithm}:${key}`;
  let keyObject = keyObjects.get(id);
  if (!keyObject) {
    keyObject =
      algorithm === 'HS256' ? createSecretKey(Buffer.from(key, 'utf8')) : createPublicKey(key);
    keyObjects.set(id, keyObject);
  }
  return keyObject;
}

function isBadSignature(error: unknown): boolean {
  return error instanceof Error && error.message === 'invalid signature';
}

/** The PEM public keys in `text`, in order: one variable can hold the old and the new key. */
export function pemPublicKeys(text: string): string[] {
  return (
    text.match(/-----BEGIN (?:RSA )?PUBLIC KEY-----[\s\S]+?-----END (?:RSA )?PUBLIC KEY-----/g) ??
    []
  );
}
