import type { INestApplicationContext } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ErrorCode } from '@member-system/contracts';
import type { Actor, MemberView, Page, RpcCommand } from '@member-system/contracts';
import type { IntegrationEnv } from '@member-system/shared/testing';
import { openIntegrationEnv } from '@member-system/shared/testing';
import { AdminSearchRpcController } from '../src/admin-search/admin-search.rpc-controller';
import { memberDatabase } from '../src/database/data-source';
import { ErasureRpcController } from '../src/erasure/erasure.rpc-controller';
import { RegisterMemberCommand } from '../src/members/commands/register-member/register-member.command';
import { GetMemberQuery } from '../src/members/queries/get-member/get-member.query';
import { ProfilesRpcController } from '../src/profiles/profiles.rpc-controller';
import { startMemberService } from './member-service-kit';

type Row = Record<string, unknown>;

const admin: Actor = {
  userId: '1',
  roles: ['admin'],
  perms: ['members:read', 'members:pii', 'members:write'],
};
const memberActor = (userId: string): Actor => ({ userId, roles: ['member'], perms: [] });
const command = <T>(actor: Actor, data: T): RpcCommand<T> => ({
  data,
  actor,
  correlationId: 'integration-test',
});

describe('Member profiles, search and erasure', () => {
  let env: IntegrationEnv;
  let commandBus: CommandBus;
  let queryBus: QueryBus;
  let profiles: ProfilesRpcController;
  let search: AdminSearchRpcController;
  let erasure: ErasureRpcController;

  let app: INestApplicationContext;

  beforeAll(async () => {
    env = await openIntegrationEnv(memberDatabase);
    app = await startMemberService(env);
    commandBus = app.get(CommandBus);
    queryBus = app.get(QueryBus);
    profiles = app.get(ProfilesRpcController);
    search = app.get(AdminSearchRpcController);
    erasure = app.get(ErasureRpcController);
  });

  afterAll(async () => {
    await app.close();
    await env.close();
  });

  async function registered(userId: string, profile: Record<string, string> = {}) {
    return (await commandBus.execute(new RegisterMemberCommand(userId, profile))).member;
  }

  function update(userId: string, data: unknown): Promise<MemberView> {
    return profiles.updateMe(command(memberActor(userId), data));
  }

  async function rowOf(memberId: string): Promise<Row> {
    const [row] = await env.dataSource.query<Row[]>('SELECT * FROM member WHERE id = ?', [
      memberId,
    ]);
    if (!row) throw new Error(`no member ${memberId}`);
    return row;
  }

  async function eventsOf(type: string, memberId: string): Promise<Array<Record<string, unknown>>> {
    const rows = await env.dataSource.query<Array<{ envelope: string }>>(
      'SELECT envelope FROM outbox_message WHERE event_type = ? ORDER BY id',
      [type],
    );
    return rows
      .map((row) => (JSON.parse(row.envelope) as { payload: Record<string, unknown> }).payload)
      .filter((payload) => payload['memberId'] === memberId);
  }

  function searchIds(filters: Record<string, unknown>): Promise<string[]> {
    return search
      .search(command(admin, filters))
      .then((page: Page<MemberView>) => page.items.map((item) => item.id));
  }

  describe('PII at rest', () => {
    it('stores phone, email, birthday and real name only as ciphertexts, never in clear', async () => {
      const member = await registered('8001');

      await update('8001', {
        phone: '13900002222',
        email: 'Dora@Example.com',
        birthday: '1988-07-09',
        realName: '王小二',
      });

      const row = await rowOf(member.id);
      expect(JSON.stringify(row)).not.toMatch(/13900002222|dora@example|1988|王小二|小二/i);
      for (const column of [
        'phone_ciphertext',
        'email_ciphertext',
        'birthday_ciphertext',
        'real_name_ciphertext',
      ]) {
        expect(row[column]).toMatch(/^dev1:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$/);
      }
      expect(row['phone_blind_index']).toMatch(/^[0-9a-f]{64}$/);
      expect(row['email_blind_index']).toMatch(/^[0-9a-f]{64}$/);
      expect(row['birthday_month_day']).toBe('07-09');
    });

    it('answers the member with every PII field masked', async () => {
      await registered('8002');

      const view = await update('8002', {
        phone: '13900003333',
        email: 'erin@example.com',
        birthday: '1990-01-02',
        realName: '王小二',
        nickname: 'Erin',
        avatarUrl: 'https://cdn.example.com/a/8002.png',
        gender: 'female',
      });

      expect(view).toMatchObject({
        phone: '139****3333',
        email: 'e***@example.com',
        birthday: '****-01-02',
        realName: '王*',
        nickname: 'Erin',
        avatarUrl: 'https://cdn.example.com/a/8002.png',
        gender: 'female',
        erased: false,
      });
      await expect(queryBus.execute(new GetMemberQuery('8002'))).resolves.toEqual(view);
    });
  });

  describe('exact lookup through the blind index', () => {
    it('finds a member by phone, whether it was written with +86 or without', async () => {
      const bare = await registered('8101', { phone: '13900004444' });
      const prefixed = await registered('8102', { phone: '+8613900005555' });

      await expect(searchIds({ phone: '13900004444' })).resolves.toEqual([bare.id]);
      await expect(searchIds({ phone: '+8613900004444' })).resolves.toEqual([bare.id]);
      await expect(searchIds({ phone: ' 13900005555 ' })).resolves.toEqual([prefixed.id]);
      await expect(searchIds({ phone: '13900006666' })).resolves.toEqual([]);
    });

    it('finds a member by email whatever its case and surrounding spaces', async () => {
      const member = await registered('8103', { email: 'Frank.Case@Example.com' });

      await expect(searchIds({ email: 'frank.case@example.com' })).resolves.toEqual([member.id]);
      await expect(searchIds({ email: '  FRANK.CASE@EXAMPLE.COM\t' })).resolves.toEqual([
        member.id,
      ]);
    });

    it('finds a member by a phone and an email set later through PATCH', async () => {
      const member = await registered('8104');
      await update('8104', { phone: '13900007777', email: 'gina@example.com' });

      await expect(searchIds({ phone: '13900007777' })).resolves.toEqual([member.id]);
      await expect(searchIds({ email: 'Gina@Example.com' })).resolves.toEqual([member.id]);
    });
  });

  describe('admin search', () => {
    it('pages through a nickname prefix, newest first, every match exactly once', async () => {
      const ids: string[] = [];
      for (let n = 0; n < 5; n += 1)
        ids.push((await registered(`820${n}`, { nickname: `Pager ${n}` })).id);
      await registered('8210', { nickname: 'Other Pager' });

      const seen: string[] = [];
      let cursor: string | null | undefined;
      let pages = 0;
      do {
        const page = await search.search(
          command(admin, { nickname: 'pager', limit: '2', ...(cursor ? { cursor } : {}) }),
        );
        seen.push(...page.items.map((item) => item.id));
        cursor = page.nextCursor;
        pages += 1;
      } while (cursor);

      expect(pages).toBe(3);
      expect(seen).toEqual([...ids].reverse());
    });

    it('treats % and _ in a nickname prefix literally', async () => {
      const literal = await registered('8220', { nickname: '50%_off' });
      await registered('8221', { nickname: '50xyoff' });

      await expect(searchIds({ nickname: '50%_' })).resolves.toEqual([literal.id]);
    });

    it('filters by level and registration range', async () => {
      const member = await registered('8230', { nickname: 'Ranger' });
      const today = new Date().toISOString().slice(0, 10);
      const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);

      await expect(
        searchIds({ nickname: 'Ranger', levelId: 1, registeredTo: today }),
      ).resolves.toEqual([member.id]);
      await expect(searchIds({ nickname: 'Ranger', registeredFrom: today })).resolves.toEqual([
        member.id,
      ]);
      await expect(searchIds({ nickname: 'Ranger', registeredTo: yesterday })).resolves.toEqual([]);
      await expect(searchIds({ nickname: 'Ranger', levelId: 2 })).resolves.toEqual([]);
    });

    it.each([
      ['a cursor it did not issue', { cursor: 'bm90LWEtY3Vyc29y' }, 'cursor'],
      ['a limit over 100', { limit: '101' }, 'limit'],
      [
        'a range that ends before it starts',
        { registeredFrom: '2026-02-01', registeredTo: '2026-01-01' },
        'registeredTo',
      ],
      ['an unknown filter', { city: 'Shanghai' }, 'city'],
    ])('refuses %s naming the field', async (_name, filters, field) => {
      await expect(search.search(command(admin, filters))).rejects.toMatchObject({
        code: ErrorCode.ValidationFailed,
        details: { fields: { [field]: expect.any(Array) } },
      });
    });
  });

  describe('PATCH /members/me', () => {
    it('publishes member.profile-updated.v1 naming only the fields whose value changed', async () => {
      const member = await registered('8301', { nickname: 'Hal', phone: '13900008888' });

      await update('8301', {
        nickname: 'Hal 2',
        avatarUrl: 'https://cdn.example.com/hal.png',
        phone: '13900008888',
      });

      await expect(eventsOf('member.profile-updated.v1', member.id)).resolves.toEqual([
        { memberId: member.id, userId: '8301', changedFields: ['nickname', 'avatarUrl'] },
      ]);
    });

    it('publishes nothing when no value actually changes', async () => {
      const member = await registered('8302', { nickname: 'Ivy' });

      await update('8302', { nickname: 'Ivy' });

      await expect(eventsOf('member.profile-updated.v1', member.id)).resolves.toEqual([]);
    });

    it('clears a field with null, blind index and month-day included', async () => {
      const member = await registered('8303', { phone: '13900009999', birthday: '1991-03-04' });

      const view = await update('8303', { phone: null, birthday: null });

      expect(view).toMatchObject({ phone: null, birthday: null });
      expect(await rowOf(member.id)).toMatchObject({
        phone_ciphertext: null,
        phone_blind_index: null,
        birthday_ciphertext: null,
        birthday_month_day: null,
      });
      await expect(searchIds({ phone: '13900009999' })).resolves.toEqual([]);
    });

    it.each<[string, unknown, string]>([
      ['an empty body', {}, 'body'],
      ['an unknown field', { nickname: 'ok', city: 'Shanghai' }, 'city'],
      ['a bad phone', { nickname: 'ok', phone: '12345' }, 'phone'],
      ['a bad email', { email: 'jo@' }, 'email'],
      [
        'a birthday in the future',
        { birthday: `${new Date().getUTCFullYear() + 1}-01-01` },
        'birthday',
      ],
      ['a birthday that is no date', { birthday: '1990-02-30' }, 'birthday'],
      ['an http avatar', { avatarUrl: 'http://cdn.example.com/a.png' }, 'avatarUrl'],
      [
        'an avatar over 512 characters',
        { avatarUrl: `https://cdn.example.com/${'a'.repeat(500)}` },
        'avatarUrl',
      ],
      ['a real name of 65 characters', { realName: '王'.repeat(65) }, 'realName'],
      ['an empty real name', { realName: '' }, 'realName'],
      ['an unknown gender', { gender: 'robot' }, 'gender'],
    ])('refuses %s, naming the field, and changes nothing', async (_name, data, field) => {
      const member = await registered('8310', { nickname: 'Jo', phone: '13911112222' });
      const before = await rowOf(member.id);

      await expect(update('8310', data)).rejects.toMatchObject({
        code: ErrorCode.ValidationFailed,
        details: { fields: { [field]: expect.any(Array) } },
      });

      expect(await rowOf(member.id)).toEqual(before);
      await expect(eventsOf('member.profile-updated.v1', member.id)).resolves.toEqual([]);
    });

    it('answers MEMBER_NOT_FOUND for a caller who is not a member', async () => {
      await expect(update('8399', { nickname: 'Nobody' })).rejects.toMatchObject({
        code: ErrorCode.MemberNotFound,
      });
    });
  });

  describe('admin read', () => {
    it('shows PII in clear only when asked to reveal, and only to members:pii', async () => {
      const member = await registered('8401', { phone: '13922223333', birthday: '1992-04-05' });
      await update('8401', { realName: 'Kim Lee' });
      const reader: Actor = { ...admin, perms: ['members:read'] };

      const masked = await profiles.adminGet(command(reader, { memberId: member.id }));
      const clear = await profiles.adminGet(command(admin, { memberId: member.id, reveal: true }));

      expect(masked).toMatchObject({
        phone: '139****3333',
        birthday: '****-04-05',
        realName: 'K***',
      });
      expect(clear).toMatchObject({
        phone: '13922223333',
        birthday: '1992-04-05',
        realName: 'Kim Lee',
      });
      await expect(
        profiles.adminGet(command(reader, { memberId: member.id, reveal: true })),
      ).rejects.toMatchObject({ code: ErrorCode.Forbidden });
      await expect(
        profiles.adminGet(command(admin, { memberId: '999999999' })),
      ).rejects.toMatchObject({ code: ErrorCode.MemberNotFound });
    });
  });

  describe('erasure', () => {
    it('destroys the PII, keeps the row, and publishes member.erased.v1 once though erased twice', async () => {
      const member = await registered('8501', {
        nickname: 'Leo',
        phone: '13933334444',
        email: 'leo@example.com',
        birthday: '1985-06-07',
        gender: 'male',
      });
      await update('8501', { realName: '李雷', avatarUrl: 'https://cdn.example.com/leo.png' });
      const before = await rowOf(member.id);

      const first = await erasure.erase(command(admin, { memberId: member.id }));
      const second = await erasure.erase(command(admin, { memberId: member.id }));

      expect(first.alreadyErased).toBe(false);
      expect(second.alreadyErased).toBe(true);
      expect(second.member).toEqual(first.member);
      expect(second.erasedAt).toBe(first.erasedAt);
      expect(first.member).toMatchObject({
        id: member.id,
        userId: '8501',
        nickname: null,
        phone: null,
        email: null,
        birthday: null,
        gender: null,
        avatarUrl: null,
        realName: null,
        erased: true,
        level: member.level,
        totalSpent: member.totalSpent,
      });
      const after = await rowOf(member.id);
      expect(after).toMatchObject({
        id: before['id'],
        user_id: before['user_id'],
        level_id: before['level_id'],
        total_spent_cents: before['total_spent_cents'],
        nickname: null,
        gender: null,
        avatar_url: null,
        phone_ciphertext: null,
        phone_blind_index: null,
        email_ciphertext: null,
        email_blind_index: null,
        birthday_ciphertext: null,
        birthday_month_day: null,
        real_name_ciphertext: null,
      });
      expect(after['erased_at']).toBeInstanceOf(Date);
      await expect(eventsOf('member.erased.v1', member.id)).resolves.toEqual([
        { memberId: member.id, userId: '8501' },
      ]);
      await expect(queryBus.execute(new GetMemberQuery('8501'))).resolves.toEqual(first.member);
      await expect(searchIds({ phone: '13933334444' })).resolves.toEqual([]);
      await expect(searchIds({ email: 'leo@example.com' })).resolves.toEqual([]);
    });

    it('refuses profile changes once the member is erased', async () => {
      const member = await registered('8502', { nickname: 'Mia' });
      await erasure.erase(command(admin, { memberId: member.id }));

      await expect(update('8502', { nickname: 'Mia again' })).rejects.toMatchObject({
        code: ErrorCode.MemberErased,
      });
      expect(await rowOf(member.id)).toMatchObject({ nickname: null });
    });

    it('answers MEMBER_NOT_FOUND for an unknown member and refuses a bad id', async () => {
      await expect(erasure.erase(command(admin, { memberId: '999999999' }))).rejects.toMatchObject({
        code: ErrorCode.MemberNotFound,
      });
      await expect(erasure.erase(command(admin, { memberId: '0' }))).rejects.toMatchObject({
        code: ErrorCode.ValidationFailed,
        details: { fields: { memberId: expect.any(Array) } },
      });
    });

    it('refuses an admin without members:write', async () => {
      const member = await registered('8503', { nickname: 'Ned' });
      const reader: Actor = { ...admin, perms: ['members:read', 'members:pii'] };

      await expect(erasure.erase(command(reader, { memberId: member.id }))).rejects.toMatchObject({
        code: ErrorCode.Forbidden,
      });
      expect(await rowOf(member.id)).toMatchObject({ nickname: 'Ned', erased_at: null });
    });
  });
});
