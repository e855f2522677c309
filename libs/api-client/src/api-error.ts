/** The docs/api/contract.md error body: every gateway error answers `{code, message, details, correlationId}`. */
export interface ApiErrorBody {
  code: string;
  message: string;
  details?: unknown;
  correlationId?: string;
}

/** Code of an error whose answer was not the docs/api/contract.md error body (a proxy's HTML page, say). */
export const UNEXPECTED_RESPONSE = 'UNEXPECTED_RESPONSE';

/** A gateway answer with a 4xx or 5xx status: its HTTP status and its error body. */
export class ApiError extends Error {
  readonly code: string;
  readonly details: unknown;
  readonly correlationId: string | undefined;

  constructor(
    readonly status: number,
    readonly body: ApiErrorBody,
  ) {
    super(`${status} ${body.code}: ${body.message}`);
    this.name = 'ApiError';
    this.code = body.code;
    this.details = body.details;
    this.correlationId = body.correlationId;
  }
}

/** The error of a failed answer: its body when that is the docs/api/contract.md shape, else a stand-in. */
export function apiErrorOf(status: number, text: string, headers: Headers): ApiError {
  const parsed = parseJson(text);
  if (isErrorBody(parsed)) return new ApiError(status, parsed);
  return new ApiError(status, {
    code: UNEXPECTED_RESPONSE,
    message: `HTTP ${status} without the API error body`,
    details: { body: text.slice(0, 500) },
    correlationId: headers.get('x-correlation-id') ?? undefined,
  });
}

function isErrorBody(value: unknown): value is ApiErrorBody {
  if (typeof value !== 'object' || value === null) return false;
  const { code, message } = value as Record<string, unknown>;
  return typeof code === 'string' && typeof message === 'string';
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
