import { Inject, Injectable } from '@nestjs/common';
import type { OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type Redis from 'ioredis';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { RedisCircuit } from '@member-system/shared/cache';
import { isDuplicateKeyError } from '@member-system/shared/database';
import { LOGGER, REDIS } from '@member-system/shared/service';

/** What a key holds: the first request's fingerprint, and its answer once there is one. */
export type IdempotencyRecord =
  | { state: 'in-flight'; fingerprint: string }
  // The status of a replay is the route's own, as the first answer's was.
  | { state: 'done'; fingerprint: string; body: unknown }
  | {
      state: 'failed';
      fingerprint: string;
      status: number;
      error: { code: string; message: string; details?: Record<string, unknown> };
    };

/** A final answer: what `finish` keeps and Redis caches. */
export type IdempotentAnswer = Exclude<IdempotencyRecord, { state: 'in-flight' }>;

interface RecordRow {
  fingerprint: string;
  state: IdempotencyRecord['state'];
  status: number | null;
  answer_json: string | null;
  expired: number | string;
}

/** Expired records are deleted this many at a time, so the cleanup never holds locks for long. */
const CLEANUP_BATCH = 1000;
const CLEANUP_INTERVAL_MS = 60_000;
/** A claim taken over from an expired one can race another instance's; beyond this, give up. */
const CLAIM_ATTEMPTS = 3;

/**
 * Idempotency-Key records in the gateway's MySQL (`idempotency_record`), shared by every gateway
 * instance, with Redis in front for replays. A key is claimed while its request runs (for at most
 * the in-flight time, in case an instance dies mid-request) and then keeps the answer for the
 * retention period.
 *
 * The claim is one INSERT on the primary key: the instance whose INSERT wins runs the request, a
 * duplicate key means the key is held, and the row says by what. Redis only keeps copies of final
 * answers (which never change), so a replay usually costs one Redis GET and no MySQL; a Redis that
 * is down or frozen is skipped (RedisCircuit) and MySQL answers alone. Without the gateway's MySQL
 * a new key cannot be claimed safely, and `begin` fails (the interceptor answers 503).
 */
@Injectable()
export class IdempotencyStore implements OnModuleInit, OnModuleDestroy {
  private cleanupTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly circuit: RedisCircuit,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onModuleInit(): void {
    this.cleanupTimer = setInterval(() => void this.cleanupQuietly(), CLEANUP_INTERVAL_MS);
    this.cleanupTimer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.cleanupTimer);
  }

  /** Undefined when this request claimed the key; otherwise what the key holds. */
  async begin(
    key: string,
    fingerprint: string,
    inFlightMs: number,
  ): Promise<IdempotencyRecord | undefined> {
    const cached = await this.cachedAnswer(key);
    if (cached) return cached;
    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.dataSource.query(
          `INSERT INTO idempotency_record (record_key, fingerprint, state, expires_at)
           VALUES (?, ?, 'in-flight', NOW(3) + INTERVAL ? MICROSECOND)`,
          [key, fingerprint, inFlightMs * 1000],
        );
        return undefined;
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
      }
      const held = await this.read(key);
      if (held) return held;
      // The row had expired (a claim whose instance died, an answer past retention): take it over.
      const taken = await this.dataSource.query<{ affectedRows: number }>(
        `UPDATE idempotency_record
            SET fingerprint = ?, state = 'in-flight', status = NULL, answer_json = NULL,
                expires_at = NOW(3) + INTERVAL ? MICROSECOND
          WHERE record_key = ? AND expires_at <= NOW(3)`,
        [fingerprint, inFlightMs * 1000, key],
      );
      if (taken.affectedRows === 1) return undefined;
      if (attempt >= CLAIM_ATTEMPTS) throw new Error(`idempotency key ${key} kept changing`);
    }
  }

  /**
   * Keeps the answer in MySQL and in Redis, each best effort on its own: a replay looks in Redis
   * first, so a copy there still answers it while MySQL is away, and MySQL answers it while Redis
   * is. Throws only when neither took it.
   */
  async finish(key: string, record: IdempotentAnswer, retentionMs: number): Promise<void> {
    const [mysql, redis] = await Promise.allSettled([
      this.dataSource.query(
        `INSERT INTO idempotency_record
           (record_key, fingerprint, state, status, answer_json, expires_at)
         VALUES (?, ?, ?, ?, ?, NOW(3) + INTERVAL ? MICROSECOND)
         ON DUPLICATE KEY UPDATE fingerprint = VALUES(fingerprint), state = VALUES(state),
           status = VALUES(status), answer_json = VALUES(answer_json),
           expires_at = VALUES(expires_at)`,
        [
          key,
          record.fingerprint,
          record.state,
          record.state === 'failed' ? record.status : null,
          answerJsonOf(record),
          retentionMs * 1000,
        ],
      ),
      this.circuit.run('set', () => this.redis.set(key, JSON.stringify(record), 'PX', retentionMs)),
    ]);
    if (mysql.status === 'rejected' && redis.status === 'rejected') throw mysql.reason;
    if (mysql.status === 'rejected') {
      this.logger.warn({ err: mysql.reason }, 'idempotent answer kept in Redis only');
    }
  }

  /** Forgets a claim whose request had no definite answer (the caller may try again). */
  async release(key: string): Promise<void> {
    await this.dataSource.query(
      `DELETE FROM idempotency_record WHERE record_key = ? AND state = 'in-flight'`,
      [key],
    );
  }

  /** Deletes expired records, a batch at a time; how many it deleted. */
  async deleteExpired(): Promise<number> {
    let deleted = 0;
    for (;;) {
      const result = await this.dataSource.query<{ affectedRows: number }>(
        'DELETE FROM idempotency_record WHERE expires_at <= NOW(3) LIMIT ?',
        [CLEANUP_BATCH],
      );
      deleted += result.affectedRows;
      if (result.affectedRows < CLEANUP_BATCH) return deleted;
    }
  }

  private async cleanupQuietly(): Promise<void> {
    try {
      await this.deleteExpired();
    } catch (error) {
      this.logger.warn({ err: error }, 'expired idempotency records not deleted; next minute');
    }
  }

  /** A final answer Redis holds; undefined when it holds none, or is down or skipped. */
  private async cachedAnswer(key: string): Promise<IdempotentAnswer | undefined> {
    let raw: string | null;
    try {
      raw = await this.circuit.run('get', () => this.redis.get(key));
    } catch {
      return undefined;
    }
    if (raw === null) return undefined;
    let record: IdempotencyRecord;
    try {
      record = JSON.parse(raw) as IdempotencyRecord;
    } catch {
      return undefined; // not ours to trust: MySQL decides
    }
    // A claim is never cached (it changes); one stored by an older version is MySQL's to judge.
    return record.state === 'in-flight' ? undefined : record;
  }

  /** What the row holds, unless it expired. */
  private async read(key: string): Promise<IdempotencyRecord | undefined> {
    const rows = await this.dataSource.query<RecordRow[]>(
      `SELECT fingerprint, state, status, answer_json, expires_at <= NOW(3) AS expired
         FROM idempotency_record WHERE record_key = ?`,
      [key],
    );
    const row = rows[0];
    if (!row || Number(row.expired) === 1) return undefined;
    const { fingerprint } = row;
    switch (row.state) {
      case 'in-flight':
        return { state: 'in-flight', fingerprint };
      case 'done':
        return {
          state: 'done',
          fingerprint,
          body: row.answer_json === null ? undefined : (JSON.parse(row.answer_json) as unknown),
        };
      case 'failed':
        return {
          state: 'failed',
          fingerprint,
          status: Number(row.status),
          error: JSON.parse(row.answer_json ?? '{}') as Extract<
            IdempotencyRecord,
            { state: 'failed' }
          >['error'],
        };
    }
  }
}

function answerJsonOf(record: IdempotentAnswer): string | null {
  if (record.state === 'failed') return JSON.stringify(record.error);
  // A route without a body (undefined) keeps none.
  return record.body === undefined ? null : JSON.stringify(record.body);
}
