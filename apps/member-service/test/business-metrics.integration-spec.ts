import type { INestApplicationContext } from '@nestjs/common';
import type { Logger } from 'pino';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import type { Actor, EventEnvelope, EventType } from '@member-system/contracts';
import { AppMetrics } from '@member-system/shared/observability';
import { LOGGER } from '@member-system/shared/service';
import type { IntegrationEnv } from '@member-system/shared/testing';
import {
  envelopeOf,
  openIntegrationEnv,
  publishEvent,
  waitFor,
} from '@member-system/shared/testing';
import { memberDatabase } from '../src/database/data-source';
import { SetMemberLevelCommand } from '../src/levels/commands/set-member-level/set-member-level.command';
import { RegisterMemberCommand } from '../src/members/commands/register-member/register-member.command';
import { GetMemberQuery } from '../src/members/queries/get-member/get-member.query';
import { outcomeCount, startMemberService, waitForDeliveries } from './member-service-kit';

const admin: Actor = { userId: '1', roles: ['admin'], perms: ['members:write'] };

describe('member-service business metrics', () => {
  let env: IntegrationEnv;
  let app: INestApplicationContext;
  let deliveries = 0;

  beforeAll(async () => {
    env = await openIntegrationEnv(memberDatabase);
    app = await startMemberService(env);
  });

  afterAll(async () => {
    await app.close();
    await env.close();
  });

  async function deliver(...events: Array<EventEnvelope<unknown, EventType>>): Promise<void> {
    for (const event of events) await publishEvent(env.amqp, event);
    deliveries += events.length;
    await waitForDeliveries(app, deliveries);
  }

  /** The counter's value, summed over the series whose labels match `labels`. */
  async function counted(name: string, labels: Record<string, string> = {}): Promise<number> {
    const metric = app.get(AppMetrics).registry.getSingleMetric(name);
    if (!metric) throw new Error(`${name} is not registered`);
    const { values } = await metric.get();
    return values
      .filter((value) =>
        Object.entries(labels).every(([label, wanted]) => value.labels[label] === wanted),
      )
      .reduce((sum, value) => sum + value.value, 0);
  }

  const order = (userId: string, orderId: string, amount: string) =>
    envelopeOf('order.completed.v1', {
      orderId,
      userId,
      amount,
      currency: 'CNY',
      completedAt: new Date().toISOString(),
    });

  it('registers and reads a member through the buses, counting the registration once', async () => {
    const before = await counted('member_registration_total');

    const first = await app
      .get(CommandBus)
      .execute(new RegisterMemberCommand('95001', { nickname: 'Ann' }));
    const again = await app.get(CommandBus).execute(new RegisterMemberCommand('95001', {}));

    expect([first.created, again.created]).toEqual([true, false]);
    await expect(app.get(QueryBus).execute(new GetMemberQuery('95001'))).resolves.toMatchObject({
      id: first.member.id,
      nickname: 'Ann',
    });
    expect(await counted('member_registration_total')).toBe(before + 1);
  });

  it('counts a platform registration once, not on a replay nor for a member who exists', async () => {
    const before = await counted('member_registration_total');
    const registered = envelopeOf('user.registered.v1', { userId: '95002', nickname: 'Bo' });

    await deliver(registered);
    expect(await counted('member_registration_total')).toBe(before + 1);

    await deliver(
      registered,
      envelopeOf('user.registered.v1', { userId: '95002' }),
      envelopeOf('user.registered.v1', { userId: '95001' }),
    );
    expect(await counted('member_registration_total')).toBe(before + 1);
  });

  it('counts each upgrade once with its levels, and neither a replay nor a downgrade', async () => {
    const upgrades = (from: string, to: string) =>
      counted('member_level_upgrade_total', { from_level: from, to_level: to });
    const before = {
      oneToTwo: await upgrades('1', '2'),
      twoToThree: await upgrades('2', '3'),
      all: await counted('member_level_upgrade_total'),
    };
    const toSilver = order('95003', '95003001', '1500.00');

    await deliver(toSilver);
    expect(await upgrades('1', '2')).toBe(before.oneToTwo + 1);

    await deliver(toSilver, order('95003', '95003002', '4000.00'));
    expect(await upgrades('1', '2')).toBe(before.oneToTwo + 1);
    expect(await upgrades('2', '3')).toBe(before.twoToThree + 1);

    const [member] = await env.dataSource.query<Array<{ id: string }>>(
      'SELECT id FROM member WHERE user_id = 95003',
    );
    await app
      .get(CommandBus)
      .execute(new SetMemberLevelCommand(member?.id ?? '', 1, 'Moved down by support', admin));
    expect(await counted('member_level_upgrade_total')).toBe(before.all + 2);
  });

  it('creates a platform user without an invalid optional field, reporting the field once and never its value', async () => {
    const logger = app.get<Logger>(LOGGER);
    const warn = jest.spyOn(logger, 'warn');
    const dropped = (field: string) =>
      counted('member_platform_event_fields_dropped_total', {
        event: 'user.registered.v1',
        field,
      });
    const before = { phone: await dropped('phone'), email: await dropped('email') };
    const registered = envelopeOf('user.registered.v1', {
      userId: '95004',
      nickname: 'Cy',
      phone: '555-0100',
      email: 'cy-at-example',
      birthday: '1990-02-03',
    });

    await deliver(registered, registered);

    const [member] = await env.dataSource.query<Array<Record<string, unknown>>>(
      'SELECT nickname, phone_ciphertext, email_ciphertext, birthday_month_day FROM member WHERE user_id = 95004',
    );
    expect(member).toEqual({
      nickname: 'Cy',
      phone_ciphertext: null,
      email_ciphertext: null,
      birthday_month_day: '02-03',
    });
    expect(await dropped('phone')).toBe(before.phone + 1);
    expect(await dropped('email')).toBe(before.email + 1);
    const reports = warn.mock.calls.filter(
      ([fields]) => (fields as { eventId?: string }).eventId === registered.eventId,
    );
    expect(reports.map(([fields]) => fields)).toEqual([
      {
        eventId: registered.eventId,
        eventType: 'user.registered.v1',
        field: 'phone',
        reason: 'matches',
      },
      {
        eventId: registered.eventId,
        eventType: 'user.registered.v1',
        field: 'email',
        reason: 'isEmail',
      },
    ]);
    expect(JSON.stringify(warn.mock.calls)).not.toMatch(/555-0100|cy-at-example/);
    warn.mockRestore();
  });

  it('still parks a platform registration whose userId is invalid', async () => {
    const invalid = await outcomeCount(app, 'invalid');

    await publishEvent(env.amqp, envelopeOf('user.registered.v1', { userId: 'not a user id/' }));

    await waitFor(async () => (await outcomeCount(app, 'invalid')) > invalid, {
      what: 'the invalid registration to be parked',
    });
  });
});
