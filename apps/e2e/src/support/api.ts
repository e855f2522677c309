// Black-box access to the fleet's gateway: tokens minted as the platform mints them, plain HTTP.
import { createHmac } from 'node:crypto';
import { waitFor } from '@member-system/shared/testing';
import { fleetInfo } from './fleet';

/** The local defaults the fleet's gateway runs with (docs/api/contract.md, "Conventions"). */
export const DEV_JWT = {
  secret: 'member-system-dev-secret',
  issuer: 'member-system-dev',
  audience: 'member-system',
} as const;

export type Role = 'member' | 'admin' | 'service';

export interface TokenClaims {
  sub: string;
  roles: Role[];
  perms?: string[];
  /** Seconds since the epoch; when set, the token expires then rather than in an hour. */
  exp?: number;
}

/** An HS256 token with any claims, signed with the fleet's secret, issuer and audience. */
export function token({ sub, roles, perms = [], exp }: TokenClaims): string {
  const iat = Math.floor(Date.now() / 1000);
  return signHs256(
    {
      sub,
      roles,
      perms,
      iss: DEV_JWT.issuer,
      aud: DEV_JWT.audience,
      iat,
      exp: exp ?? iat + 3600,
    },
    DEV_JWT.secret,
  );
}

/** A compact JWS with these claims; `alg: 'none'` leaves the signature empty, as a forger would. */
export function signHs256(
  claims: Record<string, unknown>,
  secret: string,
  alg: 'HS256' | 'none' = 'HS256',
): string {
  const encode = (value: unknown): string =>
    Buffer.from(JSON.stringify(value)).toString('base64url');
  const body = `${encode({ alg, typ: 'JWT' })}.${encode(claims)}`;
  const signature =
    alg === 'none' ? '' : createHmac('sha256', secret).update(body).digest('base64url');
  return `${body}.${signature}`;
}

/** A token for the platform user `userId` acting as a member. */
export function memberToken(userId: string): string {
  return token({ sub: userId, roles: ['member'] });
}

// Seeded from the clock so a rerun (or the next spec file) never reuses a user id.
let lastUserId = BigInt(Date.now()) * 1000n;

/** A platform user id no other test has used. */
export function nextUserId(): string {
  lastUserId += 1n;
  return lastUserId.toString();
}

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface ApiOptions {
  token?: string;
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as is, with content-type application/json unless `headers` says otherwise. */
  rawBody?: string | Buffer;
  headers?: Record<string, string>;
  /** Another gateway than the fleet's (e.g. one started by the test). */
  baseUrl?: string;
}

export interface ApiResponse<T = Record<string, unknown>> {
  status: number;
  /** The parsed JSON body, or the text when the body is not JSON. */
  body: T;
  text: string;
  headers: Headers;
}

/** The error body every failure has (docs/api/contract.md, "Conventions"). */
export interface ErrorBody {
  code: string;
  message: string;
  details?: Record<string, unknown>;
  correlationId: string;
}

/** One HTTP call to the gateway; `path` starts with `/` and includes `/api/v1` where it applies. */
export async function api<T = Record<string, unknown>>(
  method: Method,
  path: string,
  options: ApiOptions = {},
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = {};
  let payload: string | Buffer | undefined;
  if (options.rawBody !== undefined) {
    headers['content-type'] = 'application/json';
    payload = options.rawBody;
  } else if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(options.body);
  }
  if (options.token !== undefined) headers['authorization'] = `Bearer ${options.token}`;
  Object.assign(headers, options.headers);
  const response = await fetch(`${options.baseUrl ?? fleetInfo().gatewayUrl}${path}`, {
    method,
    headers,
    body: payload ?? null,
    // A hang is a failure of its own; better a clear message than jest's test timeout.
    signal: AbortSignal.timeout(20_000),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON (metrics, an empty body): the text it is.
  }
  return { status: response.status, body: body as T, text, headers: response.headers };
}

/**
 * Asserts the docs/api/contract.md error shape: the status and code (any code when none is given), a message,
 * a correlation id matching the response header, and nothing of the server's insides.
 */
export function expectError(
  response: ApiResponse<unknown>,
  status: number,
  code?: string,
): ErrorBody {
  const body = response.body as ErrorBody;
  expect({ status: response.status, code: body?.code }).toEqual({
    status,
    code: code ?? expect.stringMatching(/^[A-Z][A-Z_]+$/),
  });
  expect(body.message).toEqual(expect.any(String));
  expect(body.correlationId).toEqual(expect.any(String));
  expect(body.correlationId).toBe(response.headers.get('x-correlation-id'));
  expect(response.text).not.toMatch(/"stack"/);
  expect(response.text).not.toMatch(/\bat [^\s]+ \(|\bat \/|node:internal|\.js:\d+:\d+/);
  return body;
}

/** Polls the caller's balance until point-service has opened the account. */
export async function waitForBalance(bearer: string): Promise<Record<string, unknown>> {
  return waitFor(
    async () => {
      const response = await api('GET', '/api/v1/points/me/balance', { token: bearer });
      if (response.status === 404) return false;
      if (response.status !== 200)
        throw new Error(`balance answered ${response.status}: ${response.text}`);
      return response.body;
    },
    { timeoutMs: 15_000, intervalMs: 100, what: 'the points account to open' },
  );
}

/** The sum of a Prometheus series on one app's /metrics, over the lines matching `labels`. */
export async function metricValue(
  app: keyof ReturnType<typeof fleetInfo>['ports'] | number,
  name: string,
  labels: Record<string, string> = {},
): Promise<number> {
  // A fleet app's name, or the port of an extra instance a test started.
  const port = typeof app === 'number' ? app : fleetInfo().ports[app];
  const response = await fetch(`http://127.0.0.1:${port}/metrics`);
  const text = await response.text();
  let sum = 0;
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const present = new Map(
      [...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((label) => [
        label[1],
        label[2],
      ]),
    );
    if (Object.entries(labels).every(([key, value]) => present.get(key) === value)) {
      sum += Number(match[3]);
    }
  }
  return sum;
}

export interface PageBody<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * Every item of a list, following `nextCursor` `limit` at a time; each page must be a 200
 * `{items, nextCursor}` of at most `limit` items. `path` may have a query string of its own.
 */
export async function allPages<T>(
  path: string,
  bearer: string,
  limit = 100,
): Promise<{ items: T[]; pages: number }> {
  const items: T[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const separator = path.includes('?') ? '&' : '?';
    const query: string = `limit=${limit}${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`;
    const page: ApiResponse<PageBody<T>> = await api<PageBody<T>>(
      'GET',
      `${path}${separator}${query}`,
      { token: bearer },
    );
    if (page.status !== 200) throw new Error(`GET ${path}: ${page.status} ${page.text}`);
    expect(Object.keys(page.body).sort()).toEqual(['items', 'nextCursor']);
    expect(page.body.items.length).toBeLessThanOrEqual(limit);
    items.push(...page.body.items);
    cursor = page.body.nextCursor;
    pages += 1;
  } while (cursor !== null);
  return { items, pages };
}
