import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { latestTodayIso } from './profile-validators';
import { UpdateProfileDto, changedProfileFieldsOf } from './update-profile.dto';

/** The properties that fail validation as `validateDto` runs it; `{}` when the input passes. */
async function failingFields(input: Record<string, unknown>): Promise<Record<string, string[]>> {
  const errors = await validate(plainToInstance(UpdateProfileDto, input), {
    whitelist: true,
    forbidNonWhitelisted: true,
  });
  return Object.fromEntries(
    errors.map((error) => [error.property, Object.values(error.constraints ?? {})]),
  );
}

describe(UpdateProfileDto.name, () => {
  it('accepts every field at once', async () => {
    await expect(
      failingFields({
        nickname: '小明',
        avatarUrl: 'https://cdn.example.com/a/1.png?size=64',
        gender: 'other',
        phone: '+8613812345678',
        email: 'a.b+tag@sub.example.cn',
        birthday: '2000-02-29',
        realName: '欧阳娜娜',
      }),
    ).resolves.toEqual({});
  });

  it('accepts null for every field, which clears it', async () => {
    const cleared = Object.fromEntries(
      ['nickname', 'avatarUrl', 'gender', 'phone', 'email', 'birthday', 'realName'].map((f) => [
        f,
        null,
      ]),
    );

    await expect(failingFields(cleared)).resolves.toEqual({});
  });

  it("accepts today's date as a birthday", async () => {
    await expect(
      failingFields({ birthday: new Date().toISOString().slice(0, 10) }),
    ).resolves.toEqual({});
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['an unknown field', { nickName: 'x' }, 'nickName'],
    ['an http avatar', { avatarUrl: 'http://cdn.example.com/a.png' }, 'avatarUrl'],
    ['an avatar that is no URL', { avatarUrl: 'https://' }, 'avatarUrl'],
    [
      'an avatar over 512 characters',
      { avatarUrl: `https://e.com/${'a'.repeat(500)}` },
      'avatarUrl',
    ],
    ['a birthday after the latest today on Earth', { birthday: '2999-01-01' }, 'birthday'],
    ['a birthday before 1900', { birthday: '1899-12-31' }, 'birthday'],
    ['a birthday that is no date', { birthday: '2023-02-29' }, 'birthday'],
    ['an empty real name', { realName: '' }, 'realName'],
    ['a blank real name', { realName: '   ' }, 'realName'],
    ['a real name of 65 characters', { realName: 'a'.repeat(65) }, 'realName'],
    ['a phone with spaces', { phone: '138 1234 5678' }, 'phone'],
    ['an email without a domain', { email: 'alice@' }, 'email'],
    ['a gender of another case', { gender: 'Male' }, 'gender'],
    ['a nickname that is a number', { nickname: 7 }, 'nickname'],
  ])('rejects %s', async (_name, input, field) => {
    await expect(failingFields(input)).resolves.toHaveProperty([field]);
  });
});

describe(changedProfileFieldsOf.name, () => {
  const sut = changedProfileFieldsOf;

  it('names the fields set or cleared, in a fixed order', () => {
    const dto = plainToInstance(UpdateProfileDto, { realName: 'A', nickname: null });

    expect(sut(dto)).toEqual(['nickname', 'realName']);
  });

  it('names nothing for an empty body', () => {
    expect(sut(plainToInstance(UpdateProfileDto, {}))).toEqual([]);
  });
});

describe(latestTodayIso.name, () => {
  it('is the date in UTC+14', () => {
    expect(latestTodayIso(new Date('2026-01-01T09:59:59Z'))).toBe('2026-01-01');
    expect(latestTodayIso(new Date('2026-01-01T10:00:00Z'))).toBe('2026-01-02');
  });
});
