// Watches published orders arrive: one query per poll round on each schema, by primary key, for the
// orders not seen yet: member-service's `member_order` (spend counted) and point-service's
// `point_operation` natural key `earn:order` (written in the transaction that credits the points).
import mysql from 'mysql2/promise';

/**
 * Most keys asked for in one round, the oldest first. Events arrive about in order, so the oldest
 * pending orders are the next to arrive, and while the services keep up fewer than this are
 * pending at all. It is small on purpose: when a backlog forms, asking for every pending key every
 * round made MariaDB look up thousands of keys 40 times a second, and the bench's own queries took
 * the CPU the services needed to catch up. Under a backlog an order that overtook 250 older ones
 * is seen only when it is among the oldest 250, which can only overstate its latency.
 */
const ROUND_KEYS = 250;

export class ArrivalTracker {
  constructor({ memberDb, pointDb, pollMs }) {
    this.options = { memberDb, pointDb };
    this.pollMs = pollMs;
    /** orderId → { scheduledAt, memberAt?, rowAt?, seenAt? } (epoch ms). */
    this.orders = new Map();
    this.pendingMember = new Set();
    this.pendingPoints = new Set();
    this.rounds = 0;
    this.running = false;
  }

  async open() {
    const options = (database) => ({
      ...database,
      supportBigNumbers: true,
      bigNumberStrings: true,
    });
    this.member = await mysql.createConnection(options(this.options.memberDb));
    this.point = await mysql.createConnection(options(this.options.pointDb));
  }

  /** Called by the publisher for each order, with the time it was due (the latency's start). */
  sent(orderId, scheduledAt) {
    this.orders.set(orderId, { scheduledAt });
    this.pendingMember.add(orderId);
    this.pendingPoints.add(orderId);
  }

  get outstanding() {
    return this.pendingPoints.size;
  }

  start() {
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        const since = performance.now();
        await this.round();
        const wait = this.pollMs - (performance.now() - since);
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      }
    })();
  }

  async stop() {
    this.running = false;
    await this.loop;
    await Promise.all([this.member?.end(), this.point?.end()]);
  }

  /**
   * One round: asks each schema for the pending orders (oldest first). A row's time is read as
   * its age by the database clock (NOW(3) − created_at) subtracted from when the query was sent;
   * `seenAt` is the query's send time, an upper bound at most one poll interval late.
   */
  async round() {
    this.rounds += 1;
    const ask = async (db, pending, sql, record) => {
      if (pending.size === 0) return;
      const keys = [...pending].slice(0, ROUND_KEYS);
      const sentAt = Date.now();
      const [rows] = await db.query(sql, [keys]);
      for (const row of rows) {
        const order = this.orders.get(String(row.id));
        if (!order) continue;
        record(order, sentAt - Number(row.age_us) / 1000, sentAt);
        pending.delete(String(row.id));
      }
    };
    await Promise.all([
      ask(
        this.member,
        this.pendingMember,
        `SELECT order_id AS id, TIMESTAMPDIFF(MICROSECOND, created_at, NOW(3)) AS age_us
           FROM member_order WHERE order_id IN (?)`,
        (order, at) => (order.memberAt = at),
      ),
      ask(
        this.point,
        this.pendingPoints,
        `SELECT natural_key AS id, TIMESTAMPDIFF(MICROSECOND, created_at, NOW(3)) AS age_us
           FROM point_operation WHERE kind = 'earn:order' AND natural_key IN (?)`,
        (order, at, seenAt) => Object.assign(order, { rowAt: at, seenAt }),
      ),
    ]);
  }

  /** Resolves true once every order is credited, false after `timeoutMs`. */
  async settled(timeoutMs) {
    const deadline = Date.now() + timeoutMs;
    while (this.pendingPoints.size > 0) {
      if (Date.now() > deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, this.pollMs));
    }
    return true;
  }
}
