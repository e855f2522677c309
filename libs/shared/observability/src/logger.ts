import type { LoggerService } from '@nestjs/common';
import pino from 'pino';
import type { Logger } from 'pino';
import { currentContext } from './request-context';

/** JSON logs, one line each, with the current correlation id on every line. */
export function createLogger(service: string, level: string): Logger {
  return pino({
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    mixin: () => {
      const context = currentContext();
      return context ? { correlationId: context.correlationId } : {};
    },
  });
}

/** Lets Nest's own messages (boot, routes, errors) go through the same pino logger. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, ...params: unknown[]): void {
    this.logger.info(this.fields(params), String(message));
  }
  error(message: unknown, ...params: unknown[]): void {
    const [stack, ...rest] = params;
    this.logger.error({ ...this.fields(rest), stack }, String(message));
  }
  warn(message: unknown, ...params: unknown[]): void {
    this.logger.warn(this.fields(params), String(message));
  }
  debug(message: unknown, ...params: unknown[]): void {
    this.logger.debug(this.fields(params), String(message));
  }
  verbose(message: unknown, ...params: unknown[]): void {
    this.logger.trace(this.fields(params), String(message));
  }

  private fields(params: unknown[]): Record<string, unknown> {
    const context = params[params.length - 1];
    return typeof context === 'string' ? { context } : {};
  }
}
