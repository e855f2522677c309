import type { MemberView } from '@member-system/contracts';
import type { FleetApp } from '@member-system/shared/testing';
import { waitFor } from '@member-system/shared/testing';
import { api, memberToken, metricValue, nextUserId, waitForBalance } from '../support/api';
import { publishPlatformEvent } from '../support/events';
import { queryAppSchema } from '../support/fleet';

/** Polls GET /members/me until the member exists. */
async function waitForMember(token: string): Promise<MemberView> {
  return waitFor(
    async () => {
      const response = await api<MemberView>('GET', '/api/v1/members/me', { token });
      if (response.status === 404) return false;
      if (response.status !== 200)
        throw new Error(`me answered ${response.status}: ${response.text}`);
      return response.body;
    },
    { timeoutMs: 15_000, intervalMs: 100, what: 'the member to be created from the event' },
  );
}

/**
 * Counts rows in an app's own schema. The API cannot show a duplicate (it answers with one
 * member, one balance), so storage is where "exactly one" is checked.
 */
async function countRows(app: FleetApp, sql: string, params: unknown[]): Promise<number> {
  const [row] = await queryAppSchema(app, sql, params);
  return Number(row?.['n']);
}

async function userRegisteredOutcomes(): Promise<{ handled: number; duplicate: number }> {
  const of = (outcome: string): Promise<number> =>
    metricValue('member-service', 'ms_events_consumed_total', {
      type: 'user.registered.v1',
      outcome,
    });
  return { handled: await of('handled'), duplicate: await of('duplicate') };
}

describe('Members created from the platform event user.registered.v1', () => {
  it('creates the member with the profile from the event and opens a points account', async () => {
    const userId = nextUserId();
    const token = memberToken(userId);

    await publishPlatformEvent('user.registered.v1', {
      userId,
      nickname: 'from-platform',
      phone: '+8613912345678',
      email: 'bob@example.com',
      birthday: '1985-12-24',
    });

    const member = await waitForMember(token);
    expect(member).toMatchObject({
      userId,
      nickname: 'from-platform',
      phone: '139****5678',
      email: 'b***@example.com',
      birthday: '****-12-24',
      level: { id: 1 },
      totalSpent: '0.00',
    });
    await expect(waitForBalance(token)).resolves.toMatchObject({ available: 0, lifetimeEarned: 0 });
  });

  it('keeps one member and one account when the event is redelivered and re-sent under a new id', async () => {
    const userId = nextUserId();
    const token = memberToken(userId);
    const before = await userRegisteredOutcomes();

    const eventId = await publishPlatformEvent('user.registered.v1', { userId, nickname: 'first' });
    await publishPlatformEvent('user.registered.v1', { userId, nickname: 'first' }, { eventId });
    await publishPlatformEvent('user.registered.v1', { userId, nickname: 'first' }, { eventId });
    await publishPlatformEvent('user.registered.v1', { userId, nickname: 'second' });

    // Every copy taken: two handled (one per eventId) and the two redeliveries skipped.
    await waitFor(
      async () => {
        const now = await userRegisteredOutcomes();
        return now.handled - before.handled >= 2 && now.duplicate - before.duplicate >= 2;
      },
      { timeoutMs: 15_000, intervalMs: 100, what: 'member-service to take all four copies' },
    );
    const member = await waitForMember(token);
    await waitForBalance(token);

    expect(member).toMatchObject({ userId, nickname: 'first' });
    const again = await api<MemberView>('GET', '/api/v1/members/me', { token });
    expect(again.body.id).toBe(member.id);
    expect(await userRegisteredOutcomes()).toEqual({
      handled: before.handled + 2,
      duplicate: before.duplicate + 2,
    });
    await expect(
      countRows('member-service', 'SELECT COUNT(*) AS n FROM member WHERE user_id = ?', [userId]),
    ).resolves.toBe(1);
    await expect(
      countRows(
        'member-service',
        "SELECT COUNT(*) AS n FROM outbox_message WHERE event_type = 'member.registered.v1' AND envelope LIKE ?",
        [`%"userId":"${userId}"%`],
      ),
    ).resolves.toBe(1);
    await expect(
      countRows('point-service', 'SELECT COUNT(*) AS n FROM point_account WHERE user_id = ?', [
        userId,
      ]),
    ).resolves.toBe(1);
  });

  it('answers a later REST registration with 200 and the member the event created', async () => {
    const userId = nextUserId();
    const token = memberToken(userId);
    await publishPlatformEvent('user.registered.v1', { userId, nickname: 'evented' });
    const created = await waitForMember(token);

    const response = await api<MemberView>('POST', '/api/v1/members', {
      token,
      body: { nickname: 'via-rest' },
    });

    expect(response.status).toBe(200);
    expect(response.body).toEqual(created);
  });

  it('creates the member without an invalid optional field and counts the field once, even when redelivered', async () => {
    const userId = nextUserId();
    const token = memberToken(userId);
    const droppedPhones = (): Promise<number> =>
      metricValue('member-service', 'member_platform_event_fields_dropped_total', {
        event: 'user.registered.v1',
        field: 'phone',
      });
    const before = { dropped: await droppedPhones(), outcomes: await userRegisteredOutcomes() };
    const payload = { userId, nickname: 'bad-phone', phone: '12', birthday: '1991-03-04' };

    const eventId = await publishPlatformEvent('user.registered.v1', payload);
    await publishPlatformEvent('user.registered.v1', payload, { eventId });

    await waitFor(
      async () => {
        const now = await userRegisteredOutcomes();
        return now.handled > before.outcomes.handled && now.duplicate > before.outcomes.duplicate;
      },
      { timeoutMs: 15_000, intervalMs: 100, what: 'member-service to take both copies' },
    );
    const member = await waitForMember(token);
    expect(member).toMatchObject({
      userId,
      nickname: 'bad-phone',
      phone: null,
      birthday: '****-03-04',
    });
    expect(await droppedPhones()).toBe(before.dropped + 1);
  });
});
