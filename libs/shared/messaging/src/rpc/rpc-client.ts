import { ClientRMQ, RmqRecordBuilder } from '@nestjs/microservices';
import type { AmqpConnectionManager } from 'amqp-connection-manager';
import { TimeoutError, firstValueFrom, timeout } from 'rxjs';
import { ErrorCode, RPC_QUEUES, isErrorCode } from '@member-system/contracts';
import type { RpcCommand, RpcReply, ServiceName } from '@member-system/contracts';
import { parseAmqpUrls } from '@member-system/shared/config';
import { AppException, ServiceUnavailableException } from '@member-system/shared/errors';
import { RMQ_SOCKET_OPTIONS } from '../amqp/amqp-connection';
import { rpcQueueOptions } from '../topology/topology';
import { RPC_DEADLINE_HEADER } from './rpc-deadline';

/**
 * Nest's RMQ client opens its channel without an 'error' listener: a connection lost while the
 * channel is being set up makes the channel wrapper emit 'error', which with no listener throws
 * and ends the process. The wrapper reconnects and sets the channel up again by itself, and the
 * calls it affected answer 503 (no reply in time), so the error needs only a listener.
 */
class RecoveringClientRmq extends ClientRMQ {
  override createClient(): AmqpConnectionManager {
    const manager = super.createClient() as AmqpConnectionManager;
    const createChannel = manager.createChannel.bind(manager);
    manager.createChannel = (options) => createChannel(options).on('error', () => undefined);
    return manager;
  }
}

/**
 * The gateway's way to call a service: request/response on the service's durable (quorum) queue
 * with direct reply-to. Every call is bounded: the message expires with the timeout, so a service
 * that comes back later never works on a request nobody waits for. Error codes come back intact.
 */
export class RpcClient {
  private readonly clients = new Map<ServiceName, ClientRMQ>();
  private readonly urls: string[];

  /** `urls` is RABBITMQ_URL: one URL, or a cluster's nodes separated by commas. */
  constructor(
    urls: string,
    private readonly timeoutMs: number,
  ) {
    this.urls = parseAmqpUrls(urls);
  }

  /** `timeoutMs` overrides the default for the rare call known to take long (a batch). */
  async send<T>(
    service: ServiceName,
    pattern: string,
    command: RpcCommand<unknown>,
    { timeoutMs = this.timeoutMs }: { timeoutMs?: number } = {},
  ): Promise<T> {
    const record = new RmqRecordBuilder(command)
      .setOptions({
        expiration: String(timeoutMs),
        headers: {
          'x-correlation-id': command.correlationId,
          [RPC_DEADLINE_HEADER]: String(Date.now() + timeoutMs),
        },
      })
      .build();
    let reply: RpcReply<T>;
    try {
      reply = await firstValueFrom(
        this.client(service).send<RpcReply<T>>(pattern, record).pipe(timeout(timeoutMs)),
      );
    } catch (error) {
      if (error instanceof TimeoutError) {
        throw new ServiceUnavailableException(service, `${service} did not answer in time`);
      }
      throw new ServiceUnavailableException(service);
    }
    if (!reply || typeof reply !== 'object' || !('ok' in reply)) {
      throw new AppException(
        ErrorCode.Internal,
        `malformed reply from ${service}`,
        undefined,
        'error',
      );
    }
    if (reply.ok) return reply.data;
    const code = isErrorCode(reply.error.code) ? reply.error.code : ErrorCode.Internal;
    throw new AppException(code, reply.error.message, reply.error.details);
  }

  /**
   * Opens the connections to these services' queues ahead of the first request. Best effort:
   * a broker that is down now is retried on the first call, which then answers 503 if still down.
   */
  async connect(services: readonly ServiceName[], timeoutMs = 3000): Promise<void> {
    await Promise.allSettled(
      services.map((service) =>
        Promise.race([
          this.client(service).connect() as Promise<unknown>,
          new Promise((resolve) => setTimeout(resolve, timeoutMs).unref()),
        ]),
      ),
    );
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.clients.values()].map((client) => client.close()));
    this.clients.clear();
  }

  private client(service: ServiceName): ClientRMQ {
    let client = this.clients.get(service);
    if (!client) {
      client = new RecoveringClientRmq({
        urls: this.urls,
        queue: RPC_QUEUES[service],
        // Nest's client declares the queue too: it must match the server's declaration.
        queueOptions: rpcQueueOptions(),
        persistent: false,
        socketOptions: RMQ_SOCKET_OPTIONS,
      });
      this.clients.set(service, client);
    }
    return client;
  }
}
