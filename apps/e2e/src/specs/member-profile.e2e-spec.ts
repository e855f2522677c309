import { randomBytes } from 'node:crypto';
import type { RowDataPacket } from 'mysql2/promise';
import type { MemberView, Page } from '@member-system/contracts';
import { api, expectError, memberToken, nextUserId, token } from '../support/api';
import { queryAppSchema } from '../support/fleet';

const ALL_MEMBER_PERMS = ['members:read', 'members:pii', 'members:write'];

function adminToken(perms: string[] = ALL_MEMBER_PERMS, sub: string = nextUserId()): string {
  return token({ sub, roles: ['admin'], perms });
}

let phoneCounter = 0;
/** A mainland mobile number no other test of this run uses. */
function uniquePhone(): string {
  phoneCounter += 1;
  const digits = (Date.now() % 1_000_000) * 100 + (phoneCounter % 100);
  return `139${String(digits).padStart(8, '0')}`;
}

interface Registered {
  userId: string;
  token: string;
  member: MemberView;
}

async function register(profile: Record<string, unknown> = {}): Promise<Registered> {
  const userId = nextUserId();
  const bearer = memberToken(userId);
  const response = await api<MemberView>('POST', '/api/v1/members', {
    token: bearer,
    body: profile,
  });
  expect(response.status).toBe(201);
  return { userId, token: bearer, member: response.body };
}

async function me(bearer: string): Promise<MemberView> {
  const response = await api<MemberView>('GET', '/api/v1/members/me', { token: bearer });
  expect(response.status).toBe(200);
  return response.body;
}

/** Rows of the gateway's audit trail, straight from its schema. */
function auditRows(targetMemberId: string): Promise<RowDataPacket[]> {
  return queryAppSchema(
    'gateway',
    'SELECT * FROM audit_record WHERE target_member_id = ? ORDER BY id',
    [targetMemberId],
  );
}

const fullProfile = {
  nickname: 'Wendy',
  avatarUrl: 'https://cdn.example.com/avatars/wendy.png',
  gender: 'female',
  email: 'Wendy.W@Example.com',
  birthday: '1993-08-09',
  realName: '王文迪',
};

describe('PATCH /members/me', () => {
  it('changes the profile, and GET /members/me shows the change at once, masked', async () => {
    const { token: bearer, member } = await register({ nickname: 'before' });
    const phone = uniquePhone();

    const patched = await api<MemberView>('PATCH', '/api/v1/members/me', {
      token: bearer,
      body: { ...fullProfile, phone },
    });

    expect(patched.status).toBe(200);
    expect(patched.body).toEqual({
      ...member,
      nickname: 'Wendy',
      avatarUrl: 'https://cdn.example.com/avatars/wendy.png',
      gender: 'female',
      phone: `${phone.slice(0, 3)}****${phone.slice(-4)}`,
      email: 'W***@Example.com',
      birthday: '****-08-09',
      realName: '王*',
      erased: false,
    });
    await expect(me(bearer)).resolves.toEqual(patched.body);
    expect(patched.text).not.toMatch(new RegExp(`${phone}|Wendy\\.W|1993|文迪`));
  });

  it('clears a field sent as null and leaves the others alone', async () => {
    const { token: bearer } = await register({ nickname: 'Xena', email: 'xena@example.com' });

    const patched = await api<MemberView>('PATCH', '/api/v1/members/me', {
      token: bearer,
      body: { email: null },
    });

    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ nickname: 'Xena', email: null });
  });

  it.each<[string, unknown, string]>([
    ['an empty body', {}, 'body'],
    ['an unknown field', { nickname: 'ok', favouriteColour: 'red' }, 'favouriteColour'],
    ['a phone in neither form', { phone: '12345' }, 'phone'],
    ['an email without a domain', { email: 'yuri@' }, 'email'],
    ['a birthday in the future', { birthday: '2999-01-01' }, 'birthday'],
    ['a birthday that is no date', { birthday: '1990-02-30' }, 'birthday'],
    ['an avatar that is not https', { avatarUrl: 'http://cdn.example.com/a.png' }, 'avatarUrl'],
    ['a real name of 65 characters', { realName: 'x'.repeat(65) }, 'realName'],
  ])('refuses %s with 400 naming the field, and changes nothing', async (_name, body, field) => {
    const { token: bearer, member } = await register({ nickname: 'Yuri', phone: uniquePhone() });

    const response = await api('PATCH', '/api/v1/members/me', { token: bearer, body });

    const error = expectError(response, 400, 'VALIDATION_FAILED');
    expect(error.details).toMatchObject({ fields: { [field]: expect.any(Array) } });
    await expect(me(bearer)).resolves.toEqual(member);
  });

  it('answers 404 MEMBER_NOT_FOUND for a caller who never registered', async () => {
    const response = await api('PATCH', '/api/v1/members/me', {
      token: memberToken(nextUserId()),
      body: { nickname: 'ghost' },
    });

    expectError(response, 404, 'MEMBER_NOT_FOUND');
  });
});

describe('GET /admin/members/{memberId}', () => {
  it('shows the member with PII masked when not asked to reveal', async () => {
    const phone = uniquePhone();
    const { member } = await register({ nickname: 'Zed', phone, birthday: '1980-01-02' });

    const response = await api<MemberView>('GET', `/api/v1/admin/members/${member.id}`, {
      token: adminToken(['members:read']),
    });

    expect(response.status).toBe(200);
    expect(response.body).toEqual(member);
    expect(response.text).not.toContain(phone);
  });

  it('refuses ?reveal=true with 403 to an admin without members:pii, reveals nothing, and audits the refusal', async () => {
    const phone = uniquePhone();
    const { member } = await register({ phone });
    const operator = nextUserId();

    const response = await api('GET', `/api/v1/admin/members/${member.id}?reveal=true`, {
      token: adminToken(['members:read'], operator),
    });

    expectError(response, 403, 'FORBIDDEN');
    expect(response.text).not.toContain(phone);
    const rows = await auditRows(member.id);
    expect(rows).toEqual([
      expect.objectContaining({
        action: 'member.reveal-pii',
        operator_user_id: operator,
        outcome: 'refused',
      }),
    ]);
  });

  it('reveals PII in clear to members:pii, after writing an audit record of the read', async () => {
    const phone = uniquePhone();
    const { member, token: bearer } = await register({ phone });
    await api('PATCH', '/api/v1/members/me', { token: bearer, body: fullProfile });
    const operator = nextUserId();

    const response = await api<MemberView>(
      'GET',
      `/api/v1/admin/members/${member.id}?reveal=true`,
      {
        token: adminToken(['members:read', 'members:pii'], operator),
        headers: { 'user-agent': 'e2e-admin-console' },
      },
    );

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      id: member.id,
      phone,
      email: fullProfile.email,
      birthday: fullProfile.birthday,
      realName: fullProfile.realName,
    });
    const rows = await auditRows(member.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      action: 'member.reveal-pii',
      operator_user_id: operator,
      outcome: 'succeeded',
      user_agent: 'e2e-admin-console',
      correlation_id: response.headers.get('x-correlation-id'),
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(JSON.parse(String(rows[0]?.['after_json']))).toEqual({
      revealed: ['phone', 'email', 'birthday', 'realName'],
    });
    // The trail names what was shown, never the values.
    expect(JSON.stringify(rows)).not.toMatch(new RegExp(`${phone}|Wendy\\.W|1993|文迪`));
  });

  it('answers 404 MEMBER_NOT_FOUND for an id no member has', async () => {
    const response = await api('GET', '/api/v1/admin/members/987654321987', {
      token: adminToken(),
    });

    expectError(response, 404, 'MEMBER_NOT_FOUND');
  });
});

describe('GET /admin/members (search)', () => {
  it('finds exactly the member with a phone, and with an email in any case', async () => {
    const phone = uniquePhone();
    const email = `Search.${randomBytes(4).toString('hex')}@Example.com`;
    const { member } = await register({ phone, email });
    await register({ phone: uniquePhone() });

    const byPhone = await api<Page<MemberView>>('GET', `/api/v1/admin/members?phone=${phone}`, {
      token: adminToken(['members:read']),
    });
    const byEmail = await api<Page<MemberView>>(
      'GET',
      `/api/v1/admin/members?email=${encodeURIComponent(email.toUpperCase())}`,
      { token: adminToken(['members:read']) },
    );

    expect(byPhone.status).toBe(200);
    expect(byPhone.body).toEqual({ items: [member], nextCursor: null });
    expect(byEmail.body).toEqual({ items: [member], nextCursor: null });
  });

  it('pages through a nickname prefix with ?limit and ?cursor, returning every match once', async () => {
    const prefix = `pg${randomBytes(4).toString('hex')}`;
    const ids: string[] = [];
    for (let n = 0; n < 5; n += 1) {
      ids.push((await register({ nickname: `${prefix}-${n}` })).member.id);
    }
    await register({ nickname: `x${prefix}` });

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = `nickname=${prefix}&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page = await api<Page<MemberView>>('GET', `/api/v1/admin/members?${query}`, {
        token: adminToken(['members:read']),
      });
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items.map((item) => item.id));
      cursor = page.body.nextCursor;
      pages += 1;
    } while (cursor !== null && pages < 10);

    expect(pages).toBe(3);
    expect([...seen].sort()).toEqual([...ids].sort());
    expect(new Set(seen).size).toBe(5);
  });

  it.each<[string, string, string]>([
    ['a limit of 0', 'limit=0', 'limit'],
    ['a limit over 100', 'limit=101', 'limit'],
    ['a level that is no number', 'levelId=gold', 'levelId'],
    ['a phone in neither form', 'phone=12345', 'phone'],
    ['a date that is no date', 'registeredFrom=2026-02-30', 'registeredFrom'],
    ['a cursor it never issued', 'cursor=not-a-cursor', 'cursor'],
    ['an unknown filter', 'city=Shanghai', 'city'],
  ])('refuses %s with 400 naming the field', async (_name, query, field) => {
    const response = await api('GET', `/api/v1/admin/members?${query}`, {
      token: adminToken(['members:read']),
    });

    const error = expectError(response, 400, 'VALIDATION_FAILED');
    expect(error.details).toMatchObject({ fields: { [field]: expect.any(Array) } });
  });
});

describe('POST /admin/members/{memberId}/erase', () => {
  it("destroys the member's PII: GET /members/me shows nulls; a repeat answers the same; both are audited", async () => {
    const phone = uniquePhone();
    const registered = await register({
      nickname: 'Erasable',
      phone,
      email: 'erase.me@example.com',
      birthday: '1970-01-01',
      gender: 'male',
    });
    const admin = adminToken(['members:write']);

    const first = await api<MemberView>(
      'POST',
      `/api/v1/admin/members/${registered.member.id}/erase`,
      { token: admin },
    );
    const second = await api<MemberView>(
      'POST',
      `/api/v1/admin/members/${registered.member.id}/erase`,
      { token: admin, body: {} },
    );

    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(second.body).toEqual(first.body);
    const erased = {
      ...registered.member,
      nickname: null,
      phone: null,
      email: null,
      birthday: null,
      gender: null,
      avatarUrl: null,
      realName: null,
      erased: true,
    };
    expect(first.body).toEqual(erased);
    await expect(me(registered.token)).resolves.toEqual(erased);
    const search = await api<Page<MemberView>>('GET', `/api/v1/admin/members?phone=${phone}`, {
      token: adminToken(['members:read']),
    });
    expect(search.body.items).toEqual([]);
    const rows = await auditRows(registered.member.id);
    expect(rows.map((row) => [row['action'], row['outcome'], row['before_json']])).toEqual([
      ['member.erase', 'succeeded', '{"erased":false}'],
      ['member.erase', 'succeeded', '{"erased":true}'],
    ]);
  });

  it.each<[string, string, unknown, string]>([
    ['a member id that is no number', 'abc', undefined, 'memberId'],
    ['a body with a field', 'SELF', { reason: 'asked' }, 'reason'],
  ])('refuses %s with 400 naming it, and erases nothing', async (_name, id, body, field) => {
    const registered = await register({ nickname: 'Kept' });
    const memberId = id === 'SELF' ? registered.member.id : id;

    const response = await api('POST', `/api/v1/admin/members/${memberId}/erase`, {
      token: adminToken(),
      ...(body === undefined ? {} : { body }),
    });

    const error = expectError(response, 400, 'VALIDATION_FAILED');
    expect(error.details).toMatchObject({ fields: { [field]: expect.any(Array) } });
    await expect(me(registered.token)).resolves.toMatchObject({ nickname: 'Kept', erased: false });
  });

  it('answers 404 MEMBER_NOT_FOUND for an id no member has', async () => {
    const response = await api('POST', '/api/v1/admin/members/987654321987/erase', {
      token: adminToken(),
    });

    expectError(response, 404, 'MEMBER_NOT_FOUND');
  });
});

describe('Admin member routes refuse callers without the permission', () => {
  let registered: Registered;

  beforeAll(async () => {
    registered = await register({ nickname: 'Guarded', phone: uniquePhone() });
  });

  const routes = (): Array<[string, 'GET' | 'POST', string]> => [
    ['search', 'GET', '/api/v1/admin/members?nickname=Guarded'],
    ['read', 'GET', `/api/v1/admin/members/${registered.member.id}`],
    ['reveal', 'GET', `/api/v1/admin/members/${registered.member.id}?reveal=true`],
    ['erase', 'POST', `/api/v1/admin/members/${registered.member.id}/erase`],
  ];

  it('answers a member token on every admin route with 403', async () => {
    for (const [, method, path] of routes()) {
      expectError(await api(method, path, { token: registered.token }), 403, 'FORBIDDEN');
    }
    await expect(me(registered.token)).resolves.toMatchObject({ nickname: 'Guarded' });
  });

  it('answers an admin without any member permission with 403 on every admin route', async () => {
    const admin = adminToken(['points:adjust']);
    for (const [, method, path] of routes()) {
      expectError(await api(method, path, { token: admin }), 403, 'FORBIDDEN');
    }
  });

  it('refuses erasure to an admin holding members:read and members:pii but not members:write', async () => {
    const response = await api('POST', `/api/v1/admin/members/${registered.member.id}/erase`, {
      token: adminToken(['members:read', 'members:pii']),
    });

    expectError(response, 403, 'FORBIDDEN');
    await expect(me(registered.token)).resolves.toMatchObject({
      nickname: 'Guarded',
      erased: false,
    });
  });

  it('answers 401 without a token', async () => {
    expectError(await api('GET', '/api/v1/admin/members'), 401, 'UNAUTHENTICATED');
  });
});
