import type { CallHandler, ExecutionContext, NestInterceptor } from '@nestjs/common';
import { ServerRMQ } from '@nestjs/microservices';
import type { CustomStrategy, RmqContext, RmqOptions } from '@nestjs/microservices';
import type { AmqpConnectionManager } from 'amqp-connection-manager';
import type { Channel, Message } from 'amqplib';
import { Observable, catchError, finalize, map, of } from 'rxjs';
import type { Logger } from 'pino';
import { ErrorCode } from '@member-system/contracts';
import type { RpcCommand, RpcReply } from '@member-system/contracts';
import { isConnectionError, isReadOnlyError } from '@member-system/shared/database';
import {
  AppException,
  ServiceUnavailableException,
  toErrorBody,
} from '@member-system/shared/errors';
import { AMQP_SOCKET_OPTIONS, logChannelErrors, settleUnlessClosed } from '../amqp/amqp-connection';
import type { AppMetrics } from '@member-system/shared/observability';
import {
  newCorrelationId,
  runWithContext,
  sanitizeCorrelationId,
} from '@member-system/shared/observability';

/**
 * Nest's RabbitMQ server, with its channel's failures logged. Nest leaves the channel's errors
 * unheard and does not wait for a reply to be sent, so a reply published while the broker went
 * away ended the process (an 'error' nobody listened to, or a rejection nobody handled). A reply
 * that cannot be sent is lost; the caller's request times out and it may try again.
 */
class RpcServer extends ServerRMQ {
  constructor(
    options: NonNullable<RmqOptions['options']>,
    private readonly errorLogger: Pick<Logger, 'warn'>,
  ) {
    super(options);
  }

  override createClient<T = AmqpConnectionManager>(): T {
    const manager = super.createClient<AmqpConnectionManager>();
    const createChannel = manager.createChannel.bind(manager);
    manager.createChannel = (options) => {
      const channel = logChannelErrors(createChannel(options), this.errorLogger, 'rpc-server');
      const sendToQueue = channel.sendToQueue.bind(channel);
      channel.sendToQueue = (...args) => {
        const sent = sendToQueue(...args);
        sent.catch((error: unknown) => this.errorLogger.warn({ err: error }, 'RPC reply not sent'));
        return sent;
      };
      return channel;
    };
    return manager as T;
  }

  /**
   * Our patterns are plain strings, registered as they are. Nest first reads every incoming
   * pattern as JSON, and the SyntaxError it throws and catches for each request cost 2-3 % of a
   * service's CPU; an exact match skips that.
   */
  override getHandlerByPattern(pattern: string): ReturnType<ServerRMQ['getHandlerByPattern']> {
    return this.messageHandlers.get(pattern) ?? super.getHandlerByPattern(pattern);
  }
}

/** A service's RPC server: its durable queue, manual acks and a bounded prefetch. */
export function rpcServerOptions(
  url: string,
  queue: string,
  prefetch: number,
  logger: Pick<Logger, 'warn'>,
): CustomStrategy {
  return {
    strategy: new RpcServer(
      {
        urls: [url],
        queue,
        queueOptions: { durable: true },
        noAck: false,
        prefetchCount: prefetch,
        persistent: false,
        socketOptions: { connectionOptions: AMQP_SOCKET_OPTIONS },
      },
      logger,
    ),
  };
}

const READ_ONLY_REPLY = {
  code: ErrorCode.ReadOnlyMode,
  message: 'The database is read-only for now: reads work, changes are refused',
};

const DATABASE_UNREACHABLE = new ServiceUnavailableException(
  'mysql',
  'The database cannot be reached right now; try again shortly',
);

/**
 * Wraps every RPC handler: runs it in the caller's correlation context, turns its result or error
 * into an `RpcReply` (services never let an exception cross the wire), records metrics, and acks
 * the request once the reply is on its way. Requests are never requeued: a retry is the caller's
 * decision, made with the same idempotency key.
 */
export class RpcReplyInterceptor implements NestInterceptor {
  constructor(
    private readonly metrics: AppMetrics,
    private readonly logger: Logger,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    // Registered app-wide so the hybrid app applies it to RPC; HTTP routes pass through.
    if (context.getType() !== 'rpc') return next.handle();
    const rpc = context.switchToRpc();
    const rmq = rpc.getContext<RmqContext>();
    const command = rpc.getData<Partial<RpcCommand<unknown>> | undefined>();
    const pattern = rmq.getPattern();
    const correlationId = sanitizeCorrelationId(command?.correlationId) ?? newCorrelationId();
    const stopTimer = this.metrics.rpcDuration.startTimer({ pattern });
    const channel = rmq.getChannelRef() as Channel;
    const message = rmq.getMessage() as Message;

    return new Observable<RpcReply<unknown>>((subscriber) =>
      runWithContext({ correlationId }, () =>
        next
          .handle()
          .pipe(
            map((data: unknown): RpcReply<unknown> => ({ ok: true, data: data ?? null })),
            catchError((error: unknown) => {
              if (isReadOnlyError(error)) {
                // The gateway switches read-only mode on when it sees this code.
                this.logger.error({ err: error, pattern }, 'the primary database refuses writes');
                return of<RpcReply<unknown>>({ ok: false, error: READ_ONLY_REPLY });
              }
              if (isConnectionError(error)) {
                // MySQL is down or restarting: a clear 503 the caller may retry, not a 500.
                this.logger.warn({ err: error, pattern }, 'the database is unreachable');
                return of<RpcReply<unknown>>({ ok: false, error: DATABASE_UNREACHABLE.toBody() });
              }
              if (!(error instanceof AppException)) {
                this.logger.error({ err: error, pattern }, 'RPC handler failed');
              }
              return of<RpcReply<unknown>>({ ok: false, error: toErrorBody(error) });
            }),
            finalize(() => {
              // The reply is published before finalize runs; ack only the request itself.
              settleUnlessClosed(() => channel.ack(message), this.logger, 'RPC request not acked');
              stopTimer();
            }),
          )
          .subscribe({
            next: (reply) => {
              this.metrics.rpcRequests.inc({
                pattern,
                outcome: reply.ok ? 'ok' : reply.error.code,
              });
              subscriber.next(reply);
            },
            error: (error: unknown) => subscriber.error(error),
            complete: () => subscriber.complete(),
          }),
      ),
    );
  }
}
