import { createPublicKey, createSecretKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { decodeProtectedHeader, errors, jwtVerify } from 'jose';
import type { JWTPayload, JWTVerifyOptions } from 'jose';
import { remoteKeySet } from './jwks';
import type { JwksSettings } from './jwks';
import { InvalidTokenError, identityOf } from './token-identity';
import type { TokenIdentity } from './token-identity';

export const JWT_ALGORITHMS = ['HS256', 'RS256', 'ES256'] as const;
export type JwtAlgorithm = (typeof JWT_ALGORITHMS)[number];

/** A class so that Nest can inject it by type. */
export abstract class JwtSettings {
  /** The algorithms accepted; a token signed with any other is refused whatever its key. */
  algorithms!: readonly JwtAlgorithm[];
  /** The HS256 shared secret. */
  secret!: string;
  /**
   * Static PEM public keys (RS256 and ES256). A token signed with any of them is accepted, so the
   * issuer's key can be rotated by hand: add the new key, switch the issuer, drop the old one.
   */
  publicKeys!: readonly string[];
  /** The identity provider's JWKS, next to the static keys; rotation needs no restart. */
  jwks?: JwksSettings;
  issuer!: string;
  audience!: string;
  clockToleranceSeconds!: number;
  /** The claim holding the platform user id (JWT_USER_ID_CLAIM). */
  userIdClaim!: string;
}

export { InvalidTokenError } from './token-identity';
export type { TokenIdentity } from './token-identity';
export { KeySetUnavailableError } from './jwks';

/** How long a verified token is remembered at most, even if it expires later. */
const REMEMBER_TOKEN_MS = 60_000;
const REMEMBERED_TOKENS = 20_000;

/**
 * Verifies bearer tokens (signature, expiry, issuer, audience) with jose and reads the caller
 * from them. Throws InvalidTokenError for a token that is not accepted (401) and
 * KeySetUnavailableError when the identity provider's keys are needed but cannot be fetched (503).
 *
 * A token verified once is taken again without its signature check until it expires (or for a
 * minute, whichever comes first): a member's app sends the same token with every call, and the
 * check was the largest single cost of a read in the gateway.
 */
export class AccessTokenVerifier {
  private readonly known = new Map<string, { identity: TokenIdentity; validUntil: number }>();
  private readonly secret: KeyObject;
  private readonly publicKeys: ReadonlyArray<{ algorithm: JwtAlgorithm; key: KeyObject }>;
  private readonly keySet: ReturnType<typeof remoteKeySet> | undefined;

  constructor(
    private readonly settings: JwtSettings,
    private readonly now: () => number = Date.now,
  ) {
    // KeyObjects made once: parsing a key for every token was a quarter of the gateway's CPU.
    this.secret = createSecretKey(Buffer.from(settings.secret, 'utf8'));
    this.publicKeys = settings.publicKeys.map((pem) => {
      const key = createPublicKey(pem);
      return { algorithm: algorithmOfPublicKey(key), key };
    });
    this.keySet = settings.jwks ? remoteKeySet(settings.jwks) : undefined;
  }

  async verify(token: string): Promise<TokenIdentity> {
    const now = this.now();
    const known = this.known.get(token);
    if (known && known.validUntil > now) return known.identity;
    this.known.delete(token);
    const claims = await this.verifiedClaims(token, new Date(now));
    const identity = identityOf(claims, this.settings.userIdClaim);
    const validUntil = Math.min(
      now + REMEMBER_TOKEN_MS,
      claims.exp === undefined
        ? Number.POSITIVE_INFINITY
        : (claims.exp + this.settings.clockToleranceSeconds) * 1000,
    );
    if (this.known.size >= REMEMBERED_TOKENS) {
      // The oldest entry goes (a Map iterates in insertion order).
      const oldest = this.known.keys().next();
      if (oldest.done !== true) this.known.delete(oldest.value);
    }
    this.known.set(token, { identity, validUntil });
    return identity;
  }

  /**
   * The claims of a token signed with a key of its algorithm: the secret (HS256), a static public
   * key, or a key of the JWKS. jose checks the signature before the claims, so an error other than
   * a bad signature comes from the key that signed the token, and that is the one reported (an
   * expired token says it expired, not that another key didn't fit).
   */
  private async verifiedClaims(token: string, currentDate: Date): Promise<JWTPayload> {
    const algorithm = algorithmOf(token);
    if (!this.settings.algorithms.includes(algorithm)) {
      throw new InvalidTokenError(`tokens signed with ${algorithm} are not accepted`);
    }
    const options: JWTVerifyOptions = {
      algorithms: [algorithm],
      issuer: this.settings.issuer,
      audience: this.settings.audience,
      clockTolerance: this.settings.clockToleranceSeconds,
      currentDate,
    };
    if (algorithm === 'HS256') return verified(() => jwtVerify(token, this.secret, options));
    let failure: unknown;
    for (const { key } of this.publicKeys.filter((entry) => entry.algorithm === algorithm)) {
      try {
        return (await jwtVerify(token, key, options)).payload;
      } catch (error) {
        if (failure === undefined || isBadSignature(failure)) failure = error;
      }
    }
    const keySet = this.keySet;
    if (keySet && (failure === undefined || isBadSignature(failure))) {
      return verified(() => jwtVerify(token, keySet, options));
    }
    throw invalidToken(failure ?? new Error(`no ${algorithm} verification key`));
  }
}

async function verified(verify: () => Promise<{ payload: JWTPayload }>): Promise<JWTPayload> {
  try {
    return (await verify()).payload;
  } catch (error) {
    throw invalidToken(error);
  }
}

/** jose's refusals as InvalidTokenError; anything else (the key set unavailable) as it is. */
function invalidToken(error: unknown): Error {
  if (error instanceof errors.JWKSNoMatchingKey) {
    return new InvalidTokenError("no key of the identity provider matches the token's kid");
  }
  if (error instanceof errors.JOSEError || !(error instanceof Error)) {
    return new InvalidTokenError(error instanceof Error ? error.message : 'invalid token');
  }
  return error;
}

function isBadSignature(error: unknown): boolean {
  return error instanceof errors.JWSSignatureVerificationFailed;
}

/** The `alg` of a token's header; a token without a readable header is refused. */
function algorithmOf(token: string): JwtAlgorithm {
  let alg: unknown;
  try {
    alg = decodeProtectedHeader(token).alg;
  } catch {
    throw new InvalidTokenError('the token is not a JWT');
  }
  if (!(JWT_ALGORITHMS as readonly unknown[]).includes(alg)) {
    throw new InvalidTokenError(`tokens signed with ${String(alg)} are not accepted`);
  }
  return alg as JwtAlgorithm;
}

/** The algorithm a public key verifies: RS256 for RSA, ES256 for EC P-256. */
export function algorithmOfPublicKey(key: KeyObject): JwtAlgorithm {
  if (key.asymmetricKeyType === 'rsa') return 'RS256';
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') {
    return 'ES256';
  }
  throw new Error(
    `unsupported public key (${key.asymmetricKeyType ?? 'unknown'}): use RSA (RS256) or EC P-256 (ES256)`,
  );
}

/** The PEM public keys in `text`, in order: one variable can hold the old and the new key. */
export function pemPublicKeys(text: string): string[] {
  return (
    text.match(/-----BEGIN (?:RSA )?PUBLIC KEY-----[\s\S]+?-----END (?:RSA )?PUBLIC KEY-----/g) ??
    []
  );
}
