import { apiErrorOf } from './api-error';

/** Gives the bearer token for a call, or nothing to call without one (asked before every call). */
export type TokenProvider = () => string | undefined | Promise<string | undefined>;

export interface ApiClientOptions {
  /** Where the gateway answers, without the API prefix: `https://api.example.com`. */
  baseUrl: string;
  /** Sends `Authorization: Bearer <token>` on the operations that require authentication. */
  token?: TokenProvider;
  /** Headers on every call (a call's own headers win). */
  headers?: Record<string, string>;
  /** Replaces the global `fetch` (tests, instrumentation). */
  fetch?: typeof fetch;
}

export interface RequestOptions {
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/** Options of a write: API.md lets every mutating call carry an `Idempotency-Key` (1–128 chars). */
export interface WriteRequestOptions extends RequestOptions {
  idempotencyKey?: string;
}

export type QueryValue = string | number | boolean | null | undefined;

/** One call of an operation, as the generated client describes it. */
export interface OperationCall {
  method: string;
  /** The document's path template: `/api/v1/members/{memberId}`. */
  path: string;
  pathParams?: Record<string, string | number>;
  query?: object;
  body?: unknown;
  /** Whether the operation requires the bearer token. */
  secured: boolean;
}

/** The URL of a call: path parameters filled in and encoded, query values repeated for arrays. */
export function buildUrl(
  baseUrl: string,
  path: string,
  pathParams: Record<string, string | number> = {},
  query: object = {},
): string {
  const filled = path.replace(/\{([^}]+)\}/g, (_match, name: string) => {
    const value = pathParams[name];
    if (value === undefined) throw new Error(`Missing path parameter ${name} for ${path}`);
    return encodeURIComponent(String(value));
  });
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query) as [string, QueryValue | QueryValue[]][]) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item !== undefined && item !== null) search.append(name, String(item));
    }
  }
  const queryString = search.toString();
  return `${baseUrl.replace(/\/+$/, '')}${filled}${queryString ? `?${queryString}` : ''}`;
}

/** Sends the generated client's calls with `fetch`; a 4xx or 5xx answer throws an ApiError. */
export class ApiTransport {
  private readonly fetch: typeof fetch;

  constructor(private readonly options: ApiClientOptions) {
    this.fetch = options.fetch ?? ((input, init) => fetch(input, init));
  }

  async send<T>(call: OperationCall, options: WriteRequestOptions = {}): Promise<T> {
    const headers: Record<string, string> = {
      accept: 'application/json',
      ...this.options.headers,
      ...options.headers,
    };
    const token = call.secured ? await this.options.token?.() : undefined;
    if (token) headers['authorization'] = `Bearer ${token}`;
    if (options.idempotencyKey !== undefined) headers['idempotency-key'] = options.idempotencyKey;
    let body: string | undefined;
    if (call.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(call.body);
    }
    const response = await this.fetch(
      buildUrl(this.options.baseUrl, call.path, call.pathParams, call.query),
      { method: call.method, headers, body, signal: options.signal },
    );
    const text = await response.text();
    if (!response.ok) throw apiErrorOf(response.status, text, response.headers);
    return bodyOf(text, response.headers) as T;
  }
}

/** JSON answers parsed, others (`/metrics`) as text, an empty answer (204) as undefined. */
function bodyOf(text: string, headers: Headers): unknown {
  if (text === '') return undefined;
  const type = headers.get('content-type') ?? '';
  return /[/+]json\b/.test(type) ? (JSON.parse(text) as unknown) : text;
}
