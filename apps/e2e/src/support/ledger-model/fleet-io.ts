// What the model runner needs of the e2e fleet besides its gateway: one broker connection to
// publish platform events on, and small connection pools on point-service's and member-service's
// schemas, to see when an event was handled (inbox rows) and to read the ledger's lots, freezes and
// holds. Polls here are bounded and report a timeout; nothing waits a fixed time.
import { randomUUID } from 'node:crypto';
import { connect } from 'amqplib';
import type { ChannelModel, ConfirmChannel } from 'amqplib';
import { createPool } from 'mysql2/promise';
import type { Pool, RowDataPacket } from 'mysql2/promise';
import { testInfra } from '@member-system/shared/testing';
import { PLATFORM_EXCHANGE } from '../events';
import { fleetInfo, schemaOf } from '../fleet';

export type SchemaApp = 'point-service' | 'member-service';

/** Polls `probe` every `intervalMs` until it answers a value; undefined once `timeoutMs` passed. */
export async function pollUntil<T>(
  probe: () => Promise<T | undefined>,
  { timeoutMs, intervalMs = 20 }: { timeoutMs: number; intervalMs?: number },
): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) return undefined;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

export class FleetIo {
  private readonly pools = new Map<SchemaApp, Pool>();
  private bus: Promise<{ connection: ChannelModel; channel: ConfirmChannel }> | undefined;

  /** Rows of a query on one app's schema in the running fleet (BIGINTs as strings). */
  async query(app: SchemaApp, sql: string, params: unknown[] = []): Promise<RowDataPacket[]> {
    let pool = this.pools.get(app);
    if (!pool) {
      pool = createPool({
        host: testInfra.mysql.host,
        port: testInfra.mysql.port,
        user: testInfra.mysql.username,
        password: testInfra.mysql.password,
        database: schemaOf(fleetInfo().runId, app),
        connectionLimit: 4,
        supportBigNumbers: true,
        bigNumberStrings: true,
      });
      this.pools.set(app, pool);
    }
    const [rows] = await pool.query<RowDataPacket[]>(sql, params);
    return rows;
  }

  /**
   * Publishes one envelope to `platform.events` as the platform does (routing key and AMQP type =
   * the event type, messageId = eventId, persistent) and waits for the broker's confirm. `copies`
   * sends the very same message more than once (a redelivery the inbox must drop).
   */
  async publish(
    type: string,
    payload: Record<string, unknown>,
    { eventId = randomUUID(), copies = 1 }: { eventId?: string; copies?: number } = {},
  ): Promise<string> {
    const { channel } = await this.channel();
    const envelope = Buffer.from(
      JSON.stringify({
        eventId,
        type,
        occurredAt: new Date().toISOString(),
        correlationId: randomUUID(),
        producer: 'ledger-model',
        payload,
      }),
    );
    for (let copy = 0; copy < copies; copy += 1) {
      channel.publish(PLATFORM_EXCHANGE, type, envelope, {
        persistent: true,
        messageId: eventId,
        type,
        contentType: 'application/json',
      });
    }
    await channel.waitForConfirms();
    return eventId;
  }

  /** True once `app` committed its handling of the event (its inbox holds the id), false on timeout. */
  async handled(app: SchemaApp, eventId: string, timeoutMs: number): Promise<boolean> {
    const seen = await pollUntil(
      async () =>
        (
          await this.query(
            app,
            'SELECT 1 AS seen FROM inbox_message WHERE message_id = ? LIMIT 1',
            [eventId],
          )
        ).length > 0 || undefined,
      { timeoutMs },
    );
    return seen === true;
  }

  async close(): Promise<void> {
    const bus = this.bus;
    this.bus = undefined;
    if (bus) {
      const { connection } = await bus;
      await connection.close().catch(() => undefined);
    }
    await Promise.all([...this.pools.values()].map((pool) => pool.end()));
    this.pools.clear();
  }

  private channel(): Promise<{ connection: ChannelModel; channel: ConfirmChannel }> {
    this.bus ??= (async () => {
      const connection = await connect(fleetInfo().amqpUrl);
      const channel = await connection.createConfirmChannel();
      return { connection, channel };
    })();
    return this.bus;
  }
}
