import { Catch, HttpException } from '@nestjs/common';
import type { ArgumentsHost, ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { ErrorCode } from '@member-system/contracts';
import { AppException } from '@member-system/shared/errors';
import { newCorrelationId } from '@member-system/shared/observability';
import { httpStatusOf } from './error-status';

interface ErrorResponse {
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown>;
  correlationId: string;
}

/**
 * Every error leaves the gateway in the docs/api/contract.md shape `{code, message, details, correlationId}`;
 * never a stack trace, and never a 500 for what was the caller's mistake.
 */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    // Set by the first onRequest hook; an error raised before it gets an id of its own.
    const correlationId = http.getRequest<FastifyRequest>().correlationId || newCorrelationId();
    const [status, body] = this.describe(error, correlationId);
    if (status >= 500 && status !== 503) {
      this.logger.error({ err: error, correlationId }, 'request failed');
    } else if (status === 503) {
      this.logger.warn({ code: body.code, details: body.details, correlationId }, body.message);
    }
    void reply.status(status).header('content-type', 'application/json; charset=utf-8').send(body);
  }

  private describe(error: unknown, correlationId: string): [number, ErrorResponse] {
    if (error instanceof AppException) {
      const body: ErrorResponse = { code: error.code, message: error.message, correlationId };
      if (error.details !== undefined) body.details = error.details;
      return [httpStatusOf(error.code), body];
    }
    if (error instanceof HttpException) {
      const status = error.getStatus();
      if (status === 404) {
        return [404, { code: ErrorCode.RouteNotFound, message: 'No such route', correlationId }];
      }
      return [status, { code: codeForStatus(status), message: error.message, correlationId }];
    }
    // Errors raised by Fastify before a handler runs: bad JSON, wrong media type, body too large.
    const fastifyError = error as { statusCode?: unknown; code?: unknown; message?: unknown };
    if (
      typeof fastifyError.statusCode === 'number' &&
      fastifyError.statusCode >= 400 &&
      fastifyError.statusCode < 500
    ) {
      return [
        fastifyError.statusCode,
        {
          code: codeForStatus(fastifyError.statusCode),
          message: typeof fastifyError.message === 'string' ? fastifyError.message : 'Bad request',
          details: {
            reason: typeof fastifyError.code === 'string' ? fastifyError.code : 'BAD_REQUEST',
          },
          correlationId,
        },
      ];
    }
    return [
      500,
      { code: ErrorCode.Internal, message: 'An internal error occurred', correlationId },
    ];
  }
}

function codeForStatus(status: number): ErrorCode {
  if (status === 401) return ErrorCode.Unauthenticated;
  if (status === 403) return ErrorCode.Forbidden;
  if (status === 404) return ErrorCode.NotFound;
  if (status === 409) return ErrorCode.Conflict;
  if (status === 429) return ErrorCode.RateLimited;
  if (status === 503) return ErrorCode.ServiceUnavailable;
  if (status >= 400 && status < 500) return ErrorCode.ValidationFailed;
  return ErrorCode.Internal;
}
