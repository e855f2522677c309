import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { AdminGetMemberDto } from './admin-member.dto';
import { SearchMembersDto } from './search-members.dto';

async function failingFields<T extends object>(
  dto: new () => T,
  input: Record<string, unknown>,
): Promise<Record<string, string[]>> {
  const errors = await validate(plainToInstance(dto, input), {
    whitelist: true,
    forbidNonWhitelisted: true,
  });
  return Object.fromEntries(
    errors.map((error) => [error.property, Object.values(error.constraints ?? {})]),
  );
}

describe(SearchMembersDto.name, () => {
  it('reads a query string: numbers from text, phone and email trimmed', () => {
    const dto = plainToInstance(SearchMembersDto, {
      limit: '50',
      levelId: '3',
      phone: ' 13812345678 ',
      email: '\tA@B.com ',
    });

    expect(dto).toMatchObject({ limit: 50, levelId: 3, phone: '13812345678', email: 'A@B.com' });
  });

  it.each<Record<string, unknown>>([
    {},
    { nickname: '小', limit: '1' },
    { userId: '10042', levelId: '2' },
    { limit: '100', cursor: 'abc' },
    { registeredFrom: '2026-01-01', registeredTo: '2026-01-01' },
    { registeredFrom: '2026-01-01T00:00:00Z', registeredTo: '2026-01-01T08:00:00+08:00' },
  ])('accepts %p', async (input) => {
    await expect(failingFields(SearchMembersDto, input)).resolves.toEqual({});
  });

  it.each<[Record<string, unknown>, string]>([
    [{ limit: '0' }, 'limit'],
    [{ limit: '101' }, 'limit'],
    [{ limit: 'ten' }, 'limit'],
    [{ limit: '2.5' }, 'limit'],
    [{ levelId: '0' }, 'levelId'],
    [{ userId: 'abc' }, 'userId'],
    [{ userId: '0' }, 'userId'],
    [{ userId: '1'.repeat(21) }, 'userId'],
    [{ phone: '12345' }, 'phone'],
    [{ email: 'nobody' }, 'email'],
    [{ nickname: '' }, 'nickname'],
    [{ nickname: ['a', 'b'] }, 'nickname'],
    [{ cursor: '' }, 'cursor'],
    [{ registeredFrom: '2026-01-01T00:00:00' }, 'registeredFrom'],
    [{ registeredFrom: '2026-W01' }, 'registeredFrom'],
    [{ registeredFrom: '2026-02-30' }, 'registeredFrom'],
    [{ registeredFrom: '2026-02-01', registeredTo: '2026-01-31' }, 'registeredTo'],
    [{ sort: 'name' }, 'sort'],
  ])('rejects %p, naming %s', async (input, field) => {
    await expect(failingFields(SearchMembersDto, input)).resolves.toHaveProperty([field]);
  });
});

describe(AdminGetMemberDto.name, () => {
  it('reads reveal=true and reveal=false from the query string', () => {
    expect(plainToInstance(AdminGetMemberDto, { memberId: '1', reveal: 'true' }).reveal).toBe(true);
    expect(plainToInstance(AdminGetMemberDto, { memberId: '1', reveal: 'false' }).reveal).toBe(
      false,
    );
  });

  it.each<[Record<string, unknown>, string]>([
    [{ memberId: 'abc' }, 'memberId'],
    [{ memberId: '0' }, 'memberId'],
    [{ memberId: '012' }, 'memberId'],
    [{ memberId: '1', reveal: 'yes' }, 'reveal'],
    [{ memberId: '1', extra: '1' }, 'extra'],
  ])('rejects %p, naming %s', async (input, field) => {
    await expect(failingFields(AdminGetMemberDto, input)).resolves.toHaveProperty([field]);
  });
});
