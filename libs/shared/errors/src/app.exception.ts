import { ErrorCode } from '@member-system/contracts';
import type { RpcErrorBody } from '@member-system/contracts';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/**
 * The one error type services raise on purpose. It crosses RPC as `{code, message, details}` and
 * the gateway maps the code to an HTTP status. Anything else thrown is an internal error.
 */
export class AppException extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
    readonly logLevel: LogLevel = 'info',
  ) {
    super(message);
    this.name = new.target.name;
  }

  toBody(): RpcErrorBody {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

export class ValidationFailedException extends AppException {
  constructor(fields: Record<string, string[]>) {
    super(ErrorCode.ValidationFailed, 'The request is not valid', { fields });
  }
}

export class ServiceUnavailableException extends AppException {
  constructor(dependency: string, message = `${dependency} is unavailable, try again shortly`) {
    super(ErrorCode.ServiceUnavailable, message, { dependency }, 'warn');
  }
}

/** Maps anything thrown to the body a caller may see: never a stack trace. */
export function toErrorBody(error: unknown): RpcErrorBody {
  if (error instanceof AppException) return error.toBody();
  return { code: ErrorCode.Internal, message: 'An internal error occurred' };
}
