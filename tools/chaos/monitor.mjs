// Watches the event pipeline once a second while the load runs: which orders point-service has
// credited (and when chaos first saw it), and each service's outbox (highest id, lowest
// unpublished id). A sample taken while MariaDB is down is recorded as unknown.
import { setTimeout as sleep } from 'node:timers/promises';
import mysql from 'mysql2/promise';
import { OUTBOX_SCHEMAS, SCHEMAS } from './fleet.mjs';

/** Rows whose transactions may commit out of id order are read again from this far back. */
const LOOKBACK_IDS = 2000;

export function createPool(port) {
  const pool = mysql.createPool({
    host: '127.0.0.1',
    port,
    user: 'root',
    connectionLimit: 4,
    connectTimeout: 2000,
    enableKeepAlive: true,
  });
  pool.on('error', () => {});
  return pool;
}

/** Runs `query` but gives up after `ms` (a frozen or restarting server must not stall sampling). */
async function timed(pool, sql, params, ms = 3000) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error('query timeout')), ms);
  });
  try {
    const [rows] = await Promise.race([pool.query(sql, params), timeout]);
    return rows;
  } finally {
    clearTimeout(timer);
  }
}

export function createMonitor({ pool, t0, intervalMs = 1000 }) {
  /** orderId → ms since t0 when the earn row was first seen. */
  const creditedAt = new Map();
  const samples = [];
  let lastId = 0;

  async function scanCredits(now) {
    const rows = await timed(
      pool,
      `SELECT id, source_id FROM ${SCHEMAS['point-service']}.point_transaction
        WHERE source = 'order' AND type = 'earn' AND id > ? ORDER BY id`,
      [Math.max(0, lastId - LOOKBACK_IDS)],
    );
    for (const row of rows) {
      lastId = Math.max(lastId, Number(row.id));
      if (!creditedAt.has(row.source_id)) creditedAt.set(row.source_id, now);
    }
  }

  async function outboxes() {
    const result = {};
    for (const [app, schema] of Object.entries(OUTBOX_SCHEMAS)) {
      const [row] = await timed(
        pool,
        `SELECT COALESCE(MAX(id), 0) AS maxId,
                (SELECT MIN(id) FROM ${schema}.outbox_message WHERE published_at IS NULL) AS minUnpublished
           FROM ${schema}.outbox_message`,
      );
      result[app] = {
        maxId: Number(row.maxId),
        minUnpublished: row.minUnpublished === null ? null : Number(row.minUnpublished),
      };
    }
    return result;
  }

  async function sample() {
    const t = Date.now() - t0;
    try {
      await scanCredits(t);
      samples.push({ t, ok: true, outbox: await outboxes() });
    } catch (error) {
      samples.push({ t, ok: false, error: error.message });
    }
  }

  return {
    creditedAt,
    samples,
    sample,
    async run(signal) {
      while (!signal.aborted) {
        const started = Date.now();
        await sample();
        await sleep(Math.max(0, intervalMs - (Date.now() - started)));
      }
    },
  };
}
