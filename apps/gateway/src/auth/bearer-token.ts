/** The token of an `Authorization: Bearer <token>` header; undefined when there is none. */
export function bearerTokenOf(header: unknown): string | undefined {
  if (typeof header !== 'string') return undefined;
  return /^Bearer ([A-Za-z0-9._~+/=-]+)$/.exec(header)?.[1];
}
