import createClient from 'openapi-fetch';
import type { Client, Middleware } from 'openapi-fetch';
import { apiErrorOf } from './api-error';
import type { components, paths } from './schema';

/** The schemas of the API's bodies and answers: `Schemas['MemberView']`. */
export type Schemas = components['schemas'];

/** The client: `GET`, `POST`, `PUT`, `PATCH`, `DELETE` on the document's paths, fully typed. */
export type ApiClient = Client<paths>;

/** Gives the bearer token for a call, or nothing to call without one (asked before every call). */
export type TokenProvider = () => string | undefined | Promise<string | undefined>;

export interface ApiClientOptions {
  /** Where the gateway answers, without the API prefix: `https://api.example.com`. */
  baseUrl: string;
  /**
   * Sends `Authorization: Bearer <token>`; every operation of the API requires it. Asked before
   * each call, so a provider can refresh an expiring token.
   */
  token?: TokenProvider;
  /** Headers on every call (a call's own headers win). */
  headers?: Record<string, string>;
  /** Replaces the global `fetch` (tests, instrumentation). */
  fetch?: (request: Request) => Promise<Response>;
}

/**
 * A client of the gateway's REST API: openapi-fetch over the types generated from the OpenAPI
 * document, with the token asked before each call and an `ApiError` thrown for every 4xx or 5xx
 * answer, so a call that returns has succeeded.
 *
 * ```ts
 * const api = createApiClient({ baseUrl, token: () => session.jwt });
 * const member = await dataOf(api.POST('/api/v1/members', { body: { nickname: 'Ann' } }));
 * ```
 */
export function createApiClient(options: ApiClientOptions): ApiClient {
  const client = createClient<paths>({
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    headers: options.headers,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  client.use(bearerToken(options.token), errorsThrown);
  return client;
}

/** Asks the provider before every call and sends its token, if any. */
export function bearerToken(token: TokenProvider | undefined): Middleware {
  return {
    async onRequest({ request }) {
      const value = await token?.();
      if (value) request.headers.set('authorization', `Bearer ${value}`);
      return request;
    },
  };
}

/** A 4xx or 5xx answer throws an ApiError with its status and the API error body. */
export const errorsThrown: Middleware = {
  async onResponse({ response }) {
    if (!response.ok) {
      throw apiErrorOf(response.status, await response.clone().text(), response.headers);
    }
    return undefined;
  },
};

/**
 * The body of a call's answer. With `createApiClient` a failed call has already thrown an ApiError,
 * so what is left is the answer (undefined for a 204).
 */
export async function dataOf<Data>(
  call: Promise<{ data?: Data; response: Response }>,
): Promise<Data> {
  const { data } = await call;
  return data as Data;
}
