import { randomUUID } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import type { ConfirmChannel } from 'amqplib';
import { EVENTS_EXCHANGE, EVENT_QUEUES, RPC_QUEUES } from '@member-system/contracts';
import { declareExchanges } from '@member-system/shared/messaging';
import { AppMetrics } from '@member-system/shared/observability';
import type { IntegrationEnv } from '@member-system/shared/testing';
import { openIntegrationEnv, startServiceContext, waitFor } from '@member-system/shared/testing';
import { AccountsModule } from '../src/accounts/accounts.module';
import { PointServiceConfig } from '../src/config/point-service.config';
import { pointDatabase } from '../src/database/data-source';

/** point-service's own module graph, consuming from a vhost and schema of this test's own. */
describe('point-service opening accounts from member.registered.v1', () => {
  let env: IntegrationEnv;
  let app: INestApplicationContext;

  beforeAll(async () => {
    env = await openIntegrationEnv(pointDatabase);
    app = await startServiceContext(
      env,
      {
        name: 'point-service',
        rpcQueue: RPC_QUEUES.point,
        eventQueue: EVENT_QUEUES.point,
        subscriptions: ['member.registered.v1'],
        database: pointDatabase,
        config: new PointServiceConfig(),
      },
      [AccountsModule],
    );
  });

  afterAll(async () => {
    await app.close();
    await env.close();
  });

  async function publish(eventId: string, memberId: string, userId: string): Promise<void> {
    const envelope = {
      eventId,
      type: 'member.registered.v1',
      occurredAt: new Date().toISOString(),
      correlationId: randomUUID(),
      producer: 'member-service',
      payload: { memberId, userId, levelId: 1, registeredAt: new Date().toISOString() },
    };
    const channel = env.amqp.createChannel({
      confirm: true,
      setup: (raw: ConfirmChannel) => declareExchanges(raw),
    });
    await channel.waitForConnect();
    await channel.publish(EVENTS_EXCHANGE, envelope.type, Buffer.from(JSON.stringify(envelope)), {
      persistent: true,
      messageId: eventId,
    });
    await channel.close();
  }

  async function consumedOutcomes(): Promise<number> {
    const { values } = await app.get(AppMetrics).eventsConsumed.get();
    return values.reduce((sum, value) => sum + value.value, 0);
  }

  async function count(sql: string, params: unknown[]): Promise<number> {
    const [row] = await env.dataSource.query<Array<{ n: string }>>(sql, params);
    return Number(row?.n);
  }

  it('opens one account when the same event is delivered three times', async () => {
    const eventId = randomUUID();
    await Promise.all([
      publish(eventId, '501', '9501'),
      publish(eventId, '501', '9501'),
      publish(eventId, '501', '9501'),
    ]);

    await waitFor(
      async () =>
        (await count('SELECT COUNT(*) AS n FROM point_account WHERE member_id = ?', ['501'])) === 1,
      {
        what: 'the account',
      },
    );
    // All three deliveries are settled once the consumer has counted three outcomes.
    await waitFor(async () => (await consumedOutcomes()) === 3, { what: 'three deliveries' });
    expect(
      await count('SELECT COUNT(*) AS n FROM point_account WHERE member_id = ?', ['501']),
    ).toBe(1);
    expect(
      await count('SELECT COUNT(*) AS n FROM inbox_message WHERE message_id = ?', [eventId]),
    ).toBe(1);
  });

  it('opens one account when two different events announce the same member', async () => {
    await publish(randomUUID(), '502', '9502');
    await publish(randomUUID(), '502', '9502');

    await waitFor(async () => (await consumedOutcomes()) === 5, { what: 'both events handled' });
    expect(await count('SELECT COUNT(*) AS n FROM point_account WHERE user_id = ?', ['9502'])).toBe(
      1,
    );
  });
});
