// Bulk writes of generated rows: batches per table, loaded by a few connections at once, either
// with LOAD DATA LOCAL INFILE streamed from memory or with multi-row INSERTs.
import { Readable } from 'node:stream';
import mysql from 'mysql2/promise';

export const METHODS = Object.freeze(['load', 'insert']);
/** Rows per batch: LOAD DATA takes big ones; an INSERT a few thousand rows. */
const BATCH_ROWS = { load: 20_000, insert: 2_000 };
/** Tables whose primary key is not in the order the rows are generated: batches are sorted first. */
const SORTED = new Set(['point.point_operation']);
/** Tables with a foreign key to another seeded table: loaded only once the parent rows are in. */
const PARENT = { 'member.level_history': 'member.member' };

const needsTsvEscape = /[\t\n\\]/;
function tsvField(value) {
  if (value === null || value === undefined) return '\\N';
  if (typeof value !== 'string') return String(value);
  return needsTsvEscape.test(value)
    ? value.replaceAll('\\', '\\\\').replaceAll('\t', '\\t').replaceAll('\n', '\\n')
    : value;
}

const FORMAT = {
  load: (values) => values.map(tsvField).join('\t'),
  insert: (values) => `(${values.map((value) => mysql.escape(value ?? null)).join(',')})`,
};

/** Collects rows per table (`service.table`) and hands full batches to `onBatch`. */
export class Batches {
  constructor({ method, targets, onBatch }) {
    this.format = FORMAT[method];
    this.limit = BATCH_ROWS[method];
    this.targets = targets;
    this.onBatch = onBatch;
    this.pending = new Map();
    this.rows = {};
  }

  add(key, values) {
    if (!this.targets.has(key)) return;
    let lines = this.pending.get(key);
    if (!lines) this.pending.set(key, (lines = []));
    lines.push(this.format(values));
    // A child table's batch waits for the end of the member, whose own row comes last.
    if (lines.length >= this.limit && !PARENT[key]) this.flush(key);
  }

  /** Called between members: flushes the full batches of child tables (with their parents). */
  memberDone() {
    for (const key of Object.keys(PARENT)) {
      if ((this.pending.get(key)?.length ?? 0) >= this.limit) this.flush(key);
    }
  }

  flush(key) {
    const lines = this.pending.get(key);
    if (!lines || lines.length === 0) return;
    if (PARENT[key]) this.flush(PARENT[key]);
    this.pending.set(key, []);
    this.rows[key] = (this.rows[key] ?? 0) + lines.length;
    if (SORTED.has(key)) lines.sort();
    this.onBatch({ key, parent: PARENT[key], ...this.targets.get(key), lines });
  }

  flushAll() {
    for (const key of this.pending.keys()) this.flush(key);
  }
}

function statementOf(method, { schema, table, columns, lines }) {
  const target = `\`${schema}\`.\`${table}\``;
  const list = `(${columns.map((column) => `\`${column}\``).join(', ')})`;
  if (method === 'insert')
    return { sql: `INSERT INTO ${target} ${list} VALUES ${lines.join(',')}` };
  const text = `${lines.join('\n')}\n`;
  return {
    sql:
      `LOAD DATA LOCAL INFILE 'rows.tsv' INTO TABLE ${target} CHARACTER SET utf8mb4 ` +
      `FIELDS TERMINATED BY '\\t' ESCAPED BY '\\\\' LINES TERMINATED BY '\\n' ${list}`,
    infileStreamFactory: () => Readable.from([Buffer.from(text, 'utf8')]),
  };
}

/**
 * Runs batches on `concurrency` connections, at most `perTable` of one table at a time (so a slow
 * table does not hold up the rest, nor take every connection), keeping the busy time per table.
 * The first failure rejects `drain()`.
 */
export class Loader {
  constructor({ connection, method, concurrency, perTable = 2 }) {
    this.options = { ...connection, flags: ['+LOCAL_FILES'], multipleStatements: false };
    this.method = method;
    this.concurrency = concurrency;
    this.perTable = perTable;
    this.queue = [];
    this.running = new Set();
    this.connections = [];
    this.idle = [];
    this.failure = undefined;
    this.waiters = [];
    this.stats = {};
    this.seq = 0;
  }

  async open() {
    for (let i = 0; i < this.concurrency; i += 1) {
      const connection = await mysql.createConnection(this.options);
      this.connections.push(connection);
      this.idle.push(connection);
    }
  }

  get backlog() {
    return this.queue.length + this.running.size;
  }

  enqueue(batch) {
    if (this.failure) throw this.failure;
    this.queue.push({ ...batch, seq: (this.seq += 1) });
    this.#pump();
  }

  #pump() {
    while (this.idle.length > 0 && !this.failure) {
      const index = this.queue.findIndex((batch) => this.#ready(batch));
      if (index < 0) return;
      const [batch] = this.queue.splice(index, 1);
      const connection = this.idle.pop();
      this.running.add(batch);
      this.#run(connection, batch).finally(() => {
        this.running.delete(batch);
        this.idle.push(connection);
        this.#pump();
        this.#wake();
      });
    }
  }

  /** Its table has room, and no earlier batch of its parent table is left to load. */
  #ready(batch) {
    let sameTable = 0;
    for (const other of this.running) {
      if (other.key === batch.key) sameTable += 1;
      if (other.key === batch.parent && other.seq < batch.seq) return false;
    }
    if (sameTable >= this.perTable) return false;
    return !batch.parent || !this.queue.some((o) => o.key === batch.parent && o.seq < batch.seq);
  }

  async #run(connection, batch) {
    const since = performance.now();
    try {
      const [result] = await this.#load(connection, batch);
      if (result.warningStatus > 0) {
        const [warnings] = await connection.query('SHOW WARNINGS LIMIT 3');
        throw new Error(warnings.map((w) => w.Message).join('; '));
      }
      if (result.affectedRows !== batch.lines.length) {
        throw new Error(`${result.affectedRows} of ${batch.lines.length} rows written`);
      }
      const stat = (this.stats[batch.key] ??= { rows: 0, ms: 0 });
      stat.rows += batch.lines.length;
      stat.ms += performance.now() - since;
    } catch (error) {
      const hint = /local.?infile|LOCAL INFILE/i.test(error.message)
        ? ' (the server refuses LOAD DATA LOCAL INFILE: try --method insert)'
        : '';
      this.failure ??= new Error(`${batch.schema}.${batch.table}: ${error.message}${hint}`);
    }
  }

  /**
   * One batch is one autocommit statement: a deadlock between two batches of one table (InnoDB
   * rolled the loser back whole) is safe to load again.
   */
  async #load(connection, batch) {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await connection.query(statementOf(this.method, batch));
      } catch (error) {
        const retryable = error.errno === 1213 || error.errno === 1205;
        if (!retryable || attempt >= 5) throw error;
        await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
      }
    }
  }

  #wake() {
    const waiting = this.waiters;
    this.waiters = [];
    waiting.forEach((wake) => wake());
  }

  /** Resolves once at most `limit` batches are queued or running (rejects after a failure). */
  async below(limit) {
    while (this.backlog > limit && !this.failure) {
      await new Promise((resolve) => this.waiters.push(resolve));
    }
    if (this.failure) throw this.failure;
  }

  drain() {
    return this.below(0);
  }

  async close() {
    await Promise.all(this.connections.map((connection) => connection.end().catch(() => {})));
  }
}
