import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import type { Logger } from 'pino';
import { Gauge } from 'prom-client';
import type { ServiceName } from '@member-system/contracts';
import { RedisCircuit } from '@member-system/shared/cache';
import { ServiceUnavailableException } from '@member-system/shared/errors';
import { AppMetrics } from '@member-system/shared/observability';
import { LOGGER, REDIS } from '@member-system/shared/service';
import { GatewayConfig } from '../config/gateway.config';
import {
  READ_ONLY_OFF,
  effectiveState,
  isOn,
  parseReadOnlyState,
  switchedByAdmin,
  switchedByUnwritableDatabase,
  transitionsOf,
} from './read-only-state';
import type { AdminSwitch, ReadOnlyOn, ReadOnlyState, ReadOnlyTransition } from './read-only-state';

/** The seed design's alert (failover_to_readonly_mode), quoted in the log line's `alert` field. */
export const READ_ONLY_ALERT = '会员系统已切换到只读模式';

/** Under the gateway's Redis prefix (`ms:gw:`), shared by every gateway instance. */
export const READ_ONLY_KEY = 'system:read-only';

/**
 * Each instance answers from memory for this long, so a request costs no Redis round trip; a
 * switch reaches every instance within about a second.
 */
const CACHE_MS = 1000;

const UPDATE_ATTEMPTS = 5;

/** Writes ARGV[2] (or deletes the key when empty) only if the key still holds ARGV[1]. */
const COMPARE_AND_SET = `
local current = redis.call('GET', KEYS[1]) or ''
if current ~= ARGV[1] then return 0 end
if ARGV[2] == '' then redis.call('DEL', KEYS[1]) else redis.call('SET', KEYS[1], ARGV[2]) end
return 1`;

type Change<S extends ReadOnlyState> = (current: ReadOnlyState, now: Date) => S;

/**
 * Read-only mode, shared through Redis by all gateway instances. Every change is a
 * compare-and-set on the stored state, so the instance that makes a transition is the one that
 * raises its alert, once for the fleet. While Redis is unreadable the last known state holds.
 */
@Injectable()
export class ReadOnlyMode {
  /** The stored state last read or written; an automatic one may have expired since. */
  private known: ReadOnlyState = READ_ONLY_OFF;
  private knownAt = Number.NEGATIVE_INFINITY;
  private loading: Promise<void> | undefined;
  private redisFailing = false;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly circuit: RedisCircuit,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(GatewayConfig) private readonly config: GatewayConfig,
    metrics: AppMetrics,
  ) {
    const gauge: Gauge<'source'> = new Gauge({
      name: 'ms_gateway_read_only',
      help: 'Read-only mode: 1 for the source holding it (admin or automatic), else 0',
      labelNames: ['source'],
      registers: [metrics.registry],
      collect: async () => {
        const state = await this.current();
        for (const source of ['admin', 'automatic'] as const) {
          gauge.set({ source }, state.enabled && state.source === source ? 1 : 0);
        }
      },
    });
  }

  /** The state now, from memory when it is at most a second old. */
  async current(): Promise<ReadOnlyState> {
    if (Date.now() - this.knownAt >= CACHE_MS) await this.reload();
    return effectiveState(this.known, new Date());
  }

  /** The state now, read from Redis. */
  async fresh(): Promise<ReadOnlyState> {
    this.knownAt = Number.NEGATIVE_INFINITY;
    return this.current();
  }

  async switchByAdmin(change: AdminSwitch): Promise<ReadOnlyState> {
    try {
      const next = await this.update((current, now) => switchedByAdmin(current, change, now));
      this.logger.info({ readOnly: next, by: change.by }, 'read-only switch set by an admin');
      return next;
    } catch (error) {
      this.logger.warn({ err: error }, 'read-only switch not stored: Redis unavailable');
      throw new ServiceUnavailableException(
        'redis',
        'The read-only switch cannot be stored right now; try again shortly',
      );
    }
  }

  /**
   * A service answered READ_ONLY_MODE: its primary database refuses writes. Switches automatic
   * mode on (or extends it). Never fails: without Redis only this instance goes read-only.
   */
  async reportUnwritable(service: ServiceName): Promise<ReadOnlyOn> {
    const change = (current: ReadOnlyState, now: Date): ReadOnlyOn =>
      switchedByUnwritableDatabase(current, service, now, this.config.AUTO_READ_ONLY_SECONDS);
    try {
      return await this.update(change);
    } catch (error) {
      this.logger.warn(
        { err: error, service },
        'read-only mode kept by this gateway only: Redis unavailable',
      );
      const now = new Date();
      const next = change(this.known, now);
      this.remember(this.known, next, now);
      return next;
    }
  }

  private async update<S extends ReadOnlyState>(change: Change<S>): Promise<S> {
    for (let attempt = 1; ; attempt += 1) {
      const raw = await this.redis.get(READ_ONLY_KEY);
      const previous = parseReadOnlyState(raw);
      const now = new Date();
      const next = change(previous, now);
      if (!previous.enabled && !next.enabled) {
        this.remember(previous, next, now);
        return next;
      }
      const written = await this.redis.eval(
        COMPARE_AND_SET,
        1,
        READ_ONLY_KEY,
        raw ?? '',
        next.enabled ? JSON.stringify(next) : '',
      );
      if (written === 1) {
        this.remember(previous, next, now);
        return next;
      }
      if (attempt >= UPDATE_ATTEMPTS) throw new Error('the read-only switch kept changing');
    }
  }

  private remember(previous: ReadOnlyState, next: ReadOnlyState, now: Date): void {
    this.known = next;
    this.knownAt = Date.now();
    for (const transition of transitionsOf(previous, next, now)) this.alert(transition);
  }

  private async reload(): Promise<void> {
    this.loading ??= this.load().finally(() => {
      this.loading = undefined;
    });
    return this.loading;
  }

  private async load(): Promise<void> {
    try {
      // Through the circuit: a frozen Redis must not hold the writes waiting on this read.
      const stored = parseReadOnlyState(
        await this.circuit.run('get', () => this.redis.get(READ_ONLY_KEY)),
      );
      if (stored.enabled && !isOn(stored, new Date())) {
        // Expired: whichever instance clears it announces the end, once.
        await this.update(effectiveState);
      } else {
        this.known = stored;
        this.knownAt = Date.now();
      }
      if (this.redisFailing) this.logger.info('read-only switch readable again');
      this.redisFailing = false;
    } catch (error) {
      // Keep the last known state (an automatic one still ends on time); try again in a second.
      this.knownAt = Date.now();
      if (!this.redisFailing) {
        this.logger.warn(
          { err: error },
          'read-only switch unreadable: keeping the last known state',
        );
      }
      this.redisFailing = true;
    }
  }

  private alert(transition: ReadOnlyTransition): void {
    if (transition.turned === 'on') {
      const { state } = transition;
      this.logger.error(
        { alert: READ_ONLY_ALERT, readOnly: state },
        `read-only mode switched on (${state.source}): ${state.reason}; writes answer 503 READ_ONLY_MODE`,
      );
      return;
    }
    const { previous, why } = transition;
    this.logger.error(
      { alertResolved: READ_ONLY_ALERT, readOnly: previous, why },
      `read-only mode ended (${why}) after being on since ${previous.since} (${previous.source}); writes work again`,
    );
  }
}
