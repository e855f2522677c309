import { Catch } from '@nestjs/common';
import type { ArgumentsHost } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import { ServerRMQ } from '@nestjs/microservices';
import type { CustomStrategy, MessageHandler, RmqContext, RmqOptions } from '@nestjs/microservices';
import type { AmqpConnectionManager } from 'amqp-connection-manager';
import type { Channel, Message } from 'amqplib';
import { firstValueFrom, isObservable, throwError } from 'rxjs';
import type { Observable } from 'rxjs';
import type { Logger } from 'pino';
import { ErrorCode } from '@member-system/contracts';
import type { RpcCommand, RpcReply } from '@member-system/contracts';
import { parseAmqpUrls } from '@member-system/shared/config';
import { isConnectionError, isReadOnlyError } from '@member-system/shared/database';
import {
  AppException,
  ServiceUnavailableException,
  toErrorBody,
} from '@member-system/shared/errors';
import { RMQ_SOCKET_OPTIONS, logChannelErrors, settleUnlessClosed } from '../amqp/amqp-connection';
import { rpcQueueOptions } from '../topology/topology';
import { RPC_DEADLINE_HEADER } from './rpc-deadline';
import type { AppMetrics } from '@member-system/shared/observability';
import {
  newCorrelationId,
  runWithContext,
  sanitizeCorrelationId,
} from '@member-system/shared/observability';

const READ_ONLY_REPLY = {
  code: ErrorCode.ReadOnlyMode,
  message: 'The database is read-only for now: reads work, changes are refused',
};

const DATABASE_UNREACHABLE = new ServiceUnavailableException(
  'mysql',
  'The database cannot be reached right now; try again shortly',
);

const CALLER_GAVE_UP = new ServiceUnavailableException(
  'rpc',
  'The request arrived after its caller stopped waiting; nothing was done',
);

/**
 * True for a request whose caller has already answered its client (503, outcome unknown). Such a
 * request is never run: a quorum queue keeps a request through a broker node's failure, and one
 * delivered after the caller's timeout (or redelivered after the node that held it came back)
 * would otherwise apply a change the client was told nothing about, or after the client's retry
 * got a different answer (a spend refused for points that the late request then spent).
 * The broker's own per-message expiry only drops messages waiting at the queue's head; this also
 * covers a request handed back to the queue by a consumer that lost its channel.
 */
function isPastDeadline(message: Message): boolean {
  const header: unknown = message.properties.headers?.[RPC_DEADLINE_HEADER];
  const deadline = typeof header === 'string' || typeof header === 'number' ? Number(header) : NaN;
  return Number.isFinite(deadline) && Date.now() > deadline;
}

/**
 * Nest's RabbitMQ server, with its channel's failures logged. Nest leaves the channel's errors
 * unheard and does not wait for a reply to be sent, so a reply published while the broker went
 * away ended the process (an 'error' nobody listened to, or a rejection nobody handled). A reply
 * that cannot be sent is lost; the caller's request times out and it may try again.
 */
class RpcServer extends ServerRMQ {
  constructor(
    options: NonNullable<RmqOptions['options']>,
    private readonly errorLogger: Logger,
    private readonly metrics: AppMetrics,
  ) {
    super(options);
  }

  /** Every request handler answers through `replying`. */
  override addHandler(
    pattern: unknown,
    callback: MessageHandler,
    isEventHandler = false,
    extras: Record<string, unknown> = {},
  ): void {
    const handler = isEventHandler ? callback : this.replying(String(pattern), callback);
    super.addHandler(pattern, handler, isEventHandler, extras);
  }

  /**
   * Wraps a handler: runs it in the caller's correlation context, turns its result or error into
   * an `RpcReply` (services never let an exception cross the wire), records metrics, and acks the
   * request once its reply is ready. Requests are never requeued: a retry is the caller's decision,
   * made with the same idempotency key.
   *
   * This is not a Nest interceptor: for each call through one, Nest binds two AsyncResources,
   * which on Node 20 build deprecation wrappers every time (5 % of a service's CPU samples).
   */
  private replying(pattern: string, handler: MessageHandler): MessageHandler {
    const reply = async (data: unknown, context: RmqContext): Promise<RpcReply<unknown>> => {
      const command = data as Partial<RpcCommand<unknown>> | undefined;
      const correlationId = sanitizeCorrelationId(command?.correlationId) ?? newCorrelationId();
      const stopTimer = this.metrics.rpcDuration.startTimer({ pattern });
      const message = context.getMessage() as Message;
      const late = isPastDeadline(message);
      const answer = await runWithContext({ correlationId }, async () => {
        if (late) {
          this.errorLogger.warn(
            { pattern, correlationId, redelivered: message.fields.redelivered },
            'RPC request dropped: its caller stopped waiting for it',
          );
          return { ok: false as const, error: CALLER_GAVE_UP.toBody() };
        }
        try {
          return { ok: true as const, data: (await valueOf(await handler(data, context))) ?? null };
        } catch (error) {
          return this.errorReply(error, pattern);
        }
      });
      // The reply is published on the next tick; an ack that beat it to a crash only makes
      // the caller time out and retry with its idempotency key.
      const channel = context.getChannelRef() as Channel;
      settleUnlessClosed(() => channel.ack(message), this.errorLogger, 'RPC request not acked');
      stopTimer();
      const outcome = late ? 'expired' : answer.ok ? 'ok' : answer.error.code;
      this.metrics.rpcRequests.inc({ pattern, outcome });
      return answer;
    };
    return reply;
  }

  private errorReply(error: unknown, pattern: string): RpcReply<unknown> {
    if (isReadOnlyError(error)) {
      // The gateway switches read-only mode on when it sees this code.
      this.errorLogger.error({ err: error, pattern }, 'the primary database refuses writes');
      return { ok: false, error: READ_ONLY_REPLY };
    }
    if (isConnectionError(error)) {
      // MySQL is down or restarting: a clear 503 the caller may retry, not a 500.
      this.errorLogger.warn({ err: error, pattern }, 'the database is unreachable');
      return { ok: false, error: DATABASE_UNREACHABLE.toBody() };
    }
    if (!(error instanceof AppException)) {
      this.errorLogger.error({ err: error, pattern }, 'RPC handler failed');
    }
    return { ok: false, error: toErrorBody(error) };
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
   * Nest starts consuming without waiting for the broker's answer. When the channel closes before
   * it (a cluster node going away while the server subscribes again after a failover), that
   * rejection reached nobody and ended the process. The next connection sets the channel up again.
   */
  override async setupChannel(channel: Channel, callback: () => void): Promise<void> {
    const consume = channel.consume.bind(channel);
    channel.consume = (...args: Parameters<Channel['consume']>) => {
      const consuming = consume(...args);
      consuming.catch((error: unknown) => {
        this.errorLogger.warn({ err: error }, 'RPC consumer not started: its channel closed');
      });
      return consuming;
    };
    await super.setupChannel(channel, callback);
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

/**
 * A service's RPC server: its durable (quorum) queue, manual acks and a bounded prefetch per
 * consumer (quorum queues refuse a channel-wide one). `urls` is RABBITMQ_URL: one URL, or a
 * cluster's nodes separated by commas. The app it runs in must use `RpcErrorsThrough` as a global
 * filter, so handlers' exceptions reach the replies.
 */
export function rpcServerOptions(
  urls: string,
  queue: string,
  prefetch: number,
  logger: Logger,
  metrics: AppMetrics,
): CustomStrategy {
  return {
    strategy: new RpcServer(
      {
        urls: parseAmqpUrls(urls),
        queue,
        queueOptions: rpcQueueOptions(),
        noAck: false,
        prefetchCount: prefetch,
        isGlobalPrefetchCount: false,
        persistent: false,
        socketOptions: RMQ_SOCKET_OPTIONS,
      },
      logger,
      metrics,
    ),
  };
}

/**
 * Lets an RPC handler's own exception through to `RpcServer`, which answers it with its code: Nest's
 * default filter would first replace it with a generic "Internal server error". Errors of HTTP
 * routes take Nest's usual way.
 */
@Catch()
export class RpcErrorsThrough extends BaseExceptionFilter {
  override catch(exception: unknown, host: ArgumentsHost): Observable<never> | void {
    if (host.getType() === 'rpc') return throwError(() => exception);
    super.catch(exception, host);
  }
}

/** A handler's answer: its value, or the first value of an Observable (Nest's exception path). */
function valueOf(result: unknown): Promise<unknown> {
  return isObservable(result)
    ? firstValueFrom(result, { defaultValue: null })
    : Promise.resolve(result);
}
