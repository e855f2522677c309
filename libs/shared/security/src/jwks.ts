// The identity provider's published keys (JWKS), fetched, cached and refreshed by jose.
import { createLocalJWKSet, createRemoteJWKSet, customFetch, errors } from 'jose';
import type { JWSHeaderParameters, FlattenedJWSInput, CryptoKey } from 'jose';

/** The key set could not be fetched (unreachable, timed out, not 200, not a key set): a 503. */
export class KeySetUnavailableError extends Error {}

export interface JwksSettings {
  url: string;
  /** A fetched key set is used this long before it is fetched again. */
  cacheMaxAgeMs: number;
  /** An unknown `kid` fetches the set again only when the last fetch is at least this old. */
  cooldownMs: number;
  timeoutMs: number;
}

type KeyLookup = (header: JWSHeaderParameters, token: FlattenedJWSInput) => Promise<CryptoKey>;

/**
 * The JWKS as a key lookup for jwtVerify. jose picks the key by `kid` (and algorithm), keeps the
 * set for cacheMaxAgeMs, and fetches it again when a token names a kid it does not hold (key
 * rotation), at most once per cooldownMs. When a fetch fails, the keys fetched last still verify
 * the tokens they match: an identity provider that is down for a while does not log everyone out;
 * only a token no known key matches fails, with KeySetUnavailableError.
 */
export function remoteKeySet(settings: JwksSettings): KeyLookup {
  const remote = createRemoteJWKSet(new URL(settings.url), {
    cacheMaxAge: settings.cacheMaxAgeMs,
    cooldownDuration: settings.cooldownMs,
    timeoutDuration: settings.timeoutMs,
    [customFetch]: fetchKeySet,
  });
  return async (header, token) => {
    try {
      return await remote(header, token);
    } catch (error) {
      if (!isFetchFailure(error)) throw error;
      const known = remote.jwks();
      if (known) {
        try {
          return await createLocalJWKSet(known)(header, token);
        } catch (lookupError) {
          if (!(lookupError instanceof errors.JWKSNoMatchingKey)) throw lookupError;
        }
      }
      throw new KeySetUnavailableError(
        `the identity provider's keys could not be fetched: ${(error as Error).message}`,
      );
    }
  };
}

/** fetch, with every failure (no answer, not 200, not JSON) turned into KeySetUnavailableError. */
async function fetchKeySet(url: string, init: RequestInit): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url, init);
  } catch (error) {
    const reason =
      error instanceof Error && error.name === 'TimeoutError' ? 'timed out' : 'unreachable';
    throw new KeySetUnavailableError(`${new URL(url).host} ${reason}`);
  }
  if (response.status !== 200) {
    throw new KeySetUnavailableError(`${new URL(url).host} answered ${response.status}`);
  }
  try {
    await response.clone().json();
  } catch {
    throw new KeySetUnavailableError(`${new URL(url).host} sent no JSON key set`);
  }
  return response;
}

function isFetchFailure(error: unknown): boolean {
  return (
    error instanceof KeySetUnavailableError ||
    error instanceof errors.JWKSTimeout ||
    error instanceof errors.JWKSInvalid
  );
}
