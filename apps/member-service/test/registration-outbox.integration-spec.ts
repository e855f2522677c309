import type { ConfirmChannel, ConsumeMessage } from 'amqplib';
import { EVENTS_EXCHANGE } from '@member-system/contracts';
import {
  ConfirmPublisher,
  OutboxRelay,
  OutboxWriter,
  connectAmqp,
  declareExchanges,
} from '@member-system/shared/messaging';
import type { RegisterMemberDto, RegisterMemberResult } from '@member-system/contracts';
import { withTransaction } from '@member-system/shared/database';
import type { IntegrationEnv } from '@member-system/shared/testing';
import { openIntegrationEnv, testLogger, waitFor } from '@member-system/shared/testing';
import { MemberServiceConfig } from '../src/config/member-service.config';
import { memberDatabase } from '../src/database/data-source';
import { MemberPii } from '../src/members/member-pii';
import { MemberRegistrar } from '../src/members/member-registrar';

describe(MemberRegistrar.name, () => {
  let env: IntegrationEnv;
  let sut: MemberRegistrar;
  const logger = testLogger();

  beforeAll(async () => {
    env = await openIntegrationEnv(memberDatabase);
    sut = new MemberRegistrar(
      new OutboxWriter('member-service'),
      new MemberPii(new MemberServiceConfig()),
    );
  });

  /** A registration from the API, in a transaction of its own. */
  function register(userId: string, profile: RegisterMemberDto): Promise<RegisterMemberResult> {
    return withTransaction(env.dataSource, (manager) =>
      sut.register(manager, userId, profile, 'api'),
    );
  }

  afterAll(async () => {
    await env.close();
  });

  it('registers while RabbitMQ is unreachable, and member.registered.v1 is published once it is back', async () => {
    const unreachable = connectAmqp('amqp://guest:guest@127.0.0.1:1', 'unreachable');
    const offlineRelay = new OutboxRelay(
      env.dataSource,
      new ConfirmPublisher(unreachable, logger, 300),
      logger,
      {
        lockName: `${env.schema}.outbox-relay`,
        pollMs: 50,
        batchSize: 50,
      },
    );
    offlineRelay.start();

    const result = await register('7001', { nickname: 'Ann', phone: '13812345678' });
    expect(result.created).toBe(true);
    expect(result.member.phone).toBe('138****5678');

    // The relay keeps trying and failing; the event waits in the outbox.
    await waitFor(
      async () => {
        const [row] = await env.dataSource.query<Array<{ attempts: number }>>(
          'SELECT attempts FROM outbox_message',
        );
        return (row?.attempts ?? 0) >= 1;
      },
      { what: 'a failed publish attempt' },
    );
    await offlineRelay.stop();
    await unreachable.close();

    const received: ConsumeMessage[] = [];
    const sink = env.amqp.createChannel({
      setup: async (raw: ConfirmChannel) => {
        await declareExchanges(raw);
        await raw.assertQueue('test.member-registered', { durable: true });
        await raw.bindQueue('test.member-registered', EVENTS_EXCHANGE, 'member.registered.v1');
        await raw.consume(
          'test.member-registered',
          (message) => message && (received.push(message), raw.ack(message)),
        );
      },
    });
    await sink.waitForConnect();
    const relay = new OutboxRelay(env.dataSource, new ConfirmPublisher(env.amqp, logger), logger, {
      lockName: `${env.schema}.outbox-relay`,
      pollMs: 50,
      batchSize: 50,
    });
    relay.start();

    await waitFor(() => received.length === 1, { what: 'member.registered.v1' });
    await relay.stop();
    await sink.close();
    const envelope = JSON.parse(received[0]?.content.toString() ?? '{}') as {
      payload: Record<string, unknown>;
    };
    expect(envelope.payload).toMatchObject({
      memberId: result.member.id,
      userId: '7001',
      levelId: 1,
      source: 'api',
    });
  });

  it('registers a user once however many requests race, with one event', async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, () => register('7002', { nickname: 'Bo' })),
    );

    expect(results.filter((result) => result.created)).toHaveLength(1);
    expect(new Set(results.map((result) => result.member.id)).size).toBe(1);
    const events = await env.dataSource.query<unknown[]>(
      'SELECT envelope FROM outbox_message WHERE event_type = \'member.registered.v1\' AND envelope LIKE \'%"userId":"7002"%\'',
    );
    expect(events).toHaveLength(1);
  });

  it('stores phone, email and birthday only as ciphertext, with blind indexes for lookup', async () => {
    await register('7003', {
      phone: '13900001111',
      email: 'Cy@Example.com',
      birthday: '1991-02-03',
    });

    const [row] = await env.dataSource.query<Array<Record<string, string>>>(
      'SELECT phone_ciphertext, phone_blind_index, email_ciphertext, birthday_ciphertext, birthday_month_day FROM member WHERE user_id = 7003',
    );
    expect(JSON.stringify(row)).not.toMatch(/13900001111|Cy@Example|1991-02-03/);
    expect(row?.['phone_blind_index']).toMatch(/^[0-9a-f]{64}$/);
    expect(row?.['birthday_month_day']).toBe('02-03');
  });
});
