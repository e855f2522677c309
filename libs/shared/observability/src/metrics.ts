import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * One prom-client Registry per app (never the global one, so tests can run several apps in one
 * process), with the default process metrics and the fleet's common series.
 */
export class AppMetrics {
  readonly registry = new Registry();

  readonly rpcRequests = new Counter({
    name: 'ms_rpc_requests_total',
    help: 'RPC commands handled, by pattern and outcome (ok or the error code)',
    labelNames: ['pattern', 'outcome'],
    registers: [this.registry],
  });

  readonly rpcDuration = new Histogram({
    name: 'ms_rpc_duration_seconds',
    help: 'Time to handle an RPC command',
    labelNames: ['pattern'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  readonly eventsConsumed = new Counter({
    name: 'ms_events_consumed_total',
    help: 'Events taken from the bus, by type and outcome (handled, duplicate, retried, parked, invalid)',
    labelNames: ['type', 'outcome'],
    registers: [this.registry],
  });

  readonly eventDuration = new Histogram({
    name: 'ms_event_handling_seconds',
    help: 'Time to handle an event, inbox and commit included (the whole batch when handled in one)',
    labelNames: ['type'],
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  readonly eventBatchSize = new Histogram({
    name: 'ms_event_batch_size',
    help: 'Events handled together in one transaction, for batches of two or more',
    buckets: [2, 4, 8, 16, 32, 64],
    registers: [this.registry],
  });

  readonly outboxUnpublished = new Gauge({
    name: 'ms_outbox_unpublished',
    help: 'Outbox rows not yet confirmed by the broker',
    registers: [this.registry],
  });

  readonly outboxOldestAge = new Gauge({
    name: 'ms_outbox_oldest_unpublished_age_seconds',
    help: 'Age of the oldest unpublished outbox row (0 when none)',
    registers: [this.registry],
  });

  readonly outboxPublished = new Counter({
    name: 'ms_outbox_published_total',
    help: 'Outbox rows published and confirmed',
    registers: [this.registry],
  });

  readonly outboxFailures = new Counter({
    name: 'ms_outbox_publish_failures_total',
    help: 'Failed outbox publish rounds',
    registers: [this.registry],
  });

  readonly httpDuration = new Histogram({
    name: 'ms_http_request_duration_seconds',
    help: 'HTTP requests, by method, route and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  readonly parkingQueueMessages: Gauge<'queue'> = new Gauge({
    name: 'ms_parking_queue_messages',
    help: 'Messages parked after their last attempt, waiting for an operator (npm run parking)',
    labelNames: ['queue'],
    registers: [this.registry],
    collect: (): Promise<void> => this.parkingQueues.count(),
  });

  private readonly parkingQueues: QueueDepths = new QueueDepths(this.parkingQueueMessages);

  readonly unroutedQueueMessages: Gauge<'queue'> = new Gauge({
    name: 'ms_unrouted_queue_messages',
    help: 'Events published while no queue was bound for their type, kept for inspection',
    labelNames: ['queue'],
    registers: [this.registry],
    collect: (): Promise<void> => this.unroutedQueues.count(),
  });

  private readonly unroutedQueues: QueueDepths = new QueueDepths(this.unroutedQueueMessages);

  readonly dbConnections: Gauge<'role' | 'state'> = new Gauge({
    name: 'member_db_connections',
    help: 'MySQL pool connections, by pool role (primary, replica) and state (in_use, idle)',
    labelNames: ['role', 'state'],
    registers: [this.registry],
    collect: (): void => this.countDbConnections(),
  });

  private readonly dbPools = new Map<string, () => DbPoolConnections>();

  constructor(service: string) {
    this.registry.setDefaultLabels({ service });
    collectDefaultMetrics({ register: this.registry });
  }

  /** Reports `queue`'s depth on every scrape, counted by `count` (e.g. a broker checkQueue). */
  watchParkingQueue(queue: string, count: () => Promise<number>): void {
    this.parkingQueues.watch(queue, count);
  }

  unwatchParkingQueue(queue: string): void {
    this.parkingQueues.unwatch(queue);
  }

  /** Reports the depth of `queue`, where unroutable events are kept, on every scrape. */
  watchUnroutedQueue(queue: string, count: () => Promise<number>): void {
    this.unroutedQueues.watch(queue, count);
  }

  unwatchUnroutedQueue(queue: string): void {
    this.unroutedQueues.unwatch(queue);
  }

  /**
   * Reports a MySQL pool's connections under `role` (`primary`, `replica`) on every scrape, as
   * `count` reads them then (poolConnectionsOf in shared/database).
   */
  watchDbPool(role: string, count: () => DbPoolConnections): void {
    this.dbPools.set(role, count);
  }

  private countDbConnections(): void {
    this.dbConnections.reset();
    for (const [role, count] of this.dbPools) {
      const { inUse, idle } = count();
      this.dbConnections.set({ role, state: 'in_use' }, inUse);
      this.dbConnections.set({ role, state: 'idle' }, idle);
    }
  }
}

/** A database pool's connections at a scrape: lent out, or waiting in the pool. */
export interface DbPoolConnections {
  inUse: number;
  idle: number;
}

/** The queues a depth gauge (labelled by `queue`) reports, each counted when Prometheus scrapes. */
class QueueDepths {
  private readonly counters = new Map<string, () => Promise<number>>();

  constructor(private readonly gauge: Gauge<'queue'>) {}

  watch(queue: string, count: () => Promise<number>): void {
    this.counters.set(queue, count);
  }

  unwatch(queue: string): void {
    this.counters.delete(queue);
    this.gauge.remove({ queue });
  }

  /**
   * A scrape must answer even when the broker doesn't: a count that fails or takes longer than
   * a second is left out of this scrape (the series disappears rather than showing a stale depth).
   */
  async count(): Promise<void> {
    this.gauge.reset();
    await Promise.all(
      [...this.counters].map(async ([queue, count]) => {
        const depth = await withinOneSecond(count()).catch(() => undefined);
        if (depth !== undefined) this.gauge.set({ queue }, depth);
      }),
    );
  }
}

function withinOneSecond<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timed out')), 1000);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
