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

  /** Counts of the parking queues this app consumes for, read when Prometheus scrapes. */
  private readonly parkingQueues = new Map<string, () => Promise<number>>();

  readonly parkingQueueMessages = new Gauge({
    name: 'ms_parking_queue_messages',
    help: 'Messages parked after their last attempt, waiting for an operator (npm run parking)',
    labelNames: ['queue'],
    registers: [this.registry],
    collect: () => this.countParkingQueues(),
  });

  /** The queue of events no queue was bound for, and how to count it, read when Prometheus scrapes. */
  private unroutedQueue: { queue: string; count: () => Promise<number> } | undefined;

  readonly unroutedQueueMessages = new Gauge({
    name: 'ms_unrouted_queue_messages',
    help: 'Events published while no queue was bound for their type, kept for inspection',
    labelNames: ['queue'],
    registers: [this.registry],
    collect: () => this.countUnroutedQueue(),
  });

  constructor(service: string) {
    this.registry.setDefaultLabels({ service });
    collectDefaultMetrics({ register: this.registry });
  }

  /** Reports `queue`'s depth on every scrape, counted by `count` (e.g. a broker checkQueue). */
  watchParkingQueue(queue: string, count: () => Promise<number>): void {
    this.parkingQueues.set(queue, count);
  }

  unwatchParkingQueue(queue: string): void {
    this.parkingQueues.delete(queue);
    this.parkingQueueMessages.remove({ queue });
  }

  /** Reports the depth of `queue`, where unroutable events are kept, on every scrape. */
  watchUnroutedQueue(queue: string, count: () => Promise<number>): void {
    this.unroutedQueue = { queue, count };
  }

  unwatchUnroutedQueue(): void {
    this.unroutedQueue = undefined;
    this.unroutedQueueMessages.reset();
  }

  /** As the parking queues: a count that fails or is slow leaves the series out of the scrape. */
  private async countUnroutedQueue(): Promise<void> {
    this.unroutedQueueMessages.reset();
    if (!this.unroutedQueue) return;
    const { queue, count } = this.unroutedQueue;
    const depth = await withinOneSecond(count()).catch(() => undefined);
    if (depth !== undefined) this.unroutedQueueMessages.set({ queue }, depth);
  }

  /**
   * A scrape must answer even when the broker doesn't: a count that fails or takes longer than
   * a second is left out of this scrape (the series disappears rather than showing a stale depth).
   */
  private async countParkingQueues(): Promise<void> {
    this.parkingQueueMessages.reset();
    await Promise.all(
      [...this.parkingQueues].map(async ([queue, count]) => {
        const depth = await withinOneSecond(count()).catch(() => undefined);
        if (depth !== undefined) this.parkingQueueMessages.set({ queue }, depth);
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
