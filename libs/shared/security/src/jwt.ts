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

export type TokenIdentity = Pick<Actor, 'userId' | 'roles' | 'perms'>;

/** Verifies a bearer token (signature, expiry, issuer, audience) and reads the caller from it. */
export function verifyAccessToken(token: string, settings: JwtSettings): TokenIdentity {
  return verifiedIdentity(token, settings).identity;
}

/** How long a verified token is remembered at most, even if it expires later. */
const REMEMBER_TOKEN_MS = 60_000;
const REMEMBERED_TOKENS = 20_000;

/**
 * verifyAccessToken with a memory: a token verified once is taken again without its signature
 * check until it expires (or for a minute, whichever comes first). A member's app sends the same
 * token with every call, and the check was the largest single cost of a read in the gateway. The
 * keys and rules are fixed for the verifier's life, so a remembered answer stays right.
 */
export class AccessTokenVerifier {
  private readonly known = new Map<string, { identity: TokenIdentity; validUntil: number }>();

  constructor(
    private readonly settings: JwtSettings,
    private readonly now: () => number = Date.now,
  ) {}

  verify(token: string): TokenIdentity {
    const now = this.now();
    const known = this.known.get(token);
    if (known && known.validUntil > now) return known.identity;
    this.known.delete(token);
    const { identity, expiresAt } = verifiedIdentity(token, this.settings);
    const validUntil = Math.min(
      now + REMEMBER_TOKEN_MS,
      expiresAt === undefined
        ? Number.POSITIVE_INFINITY
        : expiresAt + this.settings.clockToleranceSeconds * 1000,
    );
    if (this.known.size >= REMEMBERED_TOKENS) {
      // The oldest entry goes (a Map iterates in insertion order).
      const oldest = this.known.keys().next();
      if (oldest.done !== true) this.known.delete(oldest.value);
    }
    this.known.set(token, { identity, validUntil });
    return identity;
  }
}

function verifiedIdentity(
  token: string,
  settings: JwtSettings,
): { identity: TokenIdentity; expiresAt: number | undefined } {
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
  const { exp } = claims as { exp?: unknown };
  return {
    identity: { userId: sub, roles: roles as Role[], perms: permissions as AdminPermission[] },
    expiresAt: typeof exp === 'number' ? exp * 1000 : undefined,
  };
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
