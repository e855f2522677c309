import type { MemberView } from '@member-system/contracts';
import { api, expectError, memberToken, nextUserId, waitForBalance } from '../support/api';

const profile = {
  nickname: '小明',
  phone: '13812345678',
  email: 'alice@example.com',
  birthday: '1990-05-01',
  gender: 'female',
};

describe('Member self-registration through the gateway', () => {
  it('registers the caller with 201, and answers a repeat with 200 and the same member', async () => {
    const userId = nextUserId();
    const token = memberToken(userId);

    const first = await api<MemberView>('POST', '/api/v1/members', { token, body: profile });
    const repeat = await api<MemberView>('POST', '/api/v1/members', { token, body: profile });

    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ userId, level: { id: 1 }, totalSpent: '0.00' });
    expect(first.body.id).toEqual(expect.any(String));
    expect(repeat.status).toBe(200);
    expect(repeat.body).toEqual(first.body);
  });

  it('shows the caller their profile with phone, email and birthday masked', async () => {
    const userId = nextUserId();
    const token = memberToken(userId);
    const registered = await api<MemberView>('POST', '/api/v1/members', { token, body: profile });

    const me = await api<MemberView>('GET', '/api/v1/members/me', { token });

    expect(me.status).toBe(200);
    expect(me.body).toEqual({
      id: registered.body.id,
      userId,
      nickname: '小明',
      phone: '138****5678',
      email: 'a***@example.com',
      birthday: '****-05-01',
      gender: 'female',
      avatarUrl: null,
      realName: null,
      erased: false,
      level: { id: 1, name: '普通会员 Regular' },
      totalSpent: '0.00',
      createdAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
    });
    // The generated ids and time may hold these digits by chance; no other field may.
    const shown = me.text
      .replace(userId, '')
      .replace(registered.body.id, '')
      .replace(me.body.createdAt, '');
    expect(shown).not.toContain('12345678');
    expect(shown).not.toContain('alice');
    expect(shown).not.toContain('1990');
  });

  it('opens a points account with every balance at zero once the registration has propagated', async () => {
    const token = memberToken(nextUserId());
    expect((await api('POST', '/api/v1/members', { token, body: {} })).status).toBe(201);

    const balance = await waitForBalance(token);

    expect(balance).toEqual({
      available: 0,
      frozen: 0,
      pending: 0,
      held: 0,
      debt: 0,
      expiringSoon: { points: 0, before: expect.any(String) },
      lifetimeEarned: 0,
      lifetimeUsed: 0,
      lifetimeExpired: 0,
    });
  });

  it('creates exactly one member when ten registrations for one new user race', async () => {
    const userId = nextUserId();
    const token = memberToken(userId);

    const responses = await Promise.all(
      Array.from({ length: 10 }, () =>
        api<MemberView>('POST', '/api/v1/members', { token, body: { nickname: 'racer' } }),
      ),
    );

    const statuses = responses.map((response) => response.status).sort();
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
    const ids = new Set(responses.map((response) => response.body.id));
    expect(ids.size).toBe(1);
    const me = await api<MemberView>('GET', '/api/v1/members/me', { token });
    expect(me.body).toMatchObject({ id: [...ids][0], userId });
  });

  it("never shows one user's member to another user", async () => {
    const registeredToken = memberToken(nextUserId());
    const otherUserId = nextUserId();
    const otherToken = memberToken(otherUserId);
    await api('POST', '/api/v1/members', { token: registeredToken, body: profile });
    await waitForBalance(registeredToken);

    const me = await api('GET', '/api/v1/members/me', { token: otherToken });
    const balance = await api('GET', '/api/v1/points/me/balance', { token: otherToken });

    expectError(me, 404, 'MEMBER_NOT_FOUND');
    expectError(balance, 404, 'POINT_ACCOUNT_NOT_FOUND');
    expect(me.text).not.toContain('小明');
  });
});
