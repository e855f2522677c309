import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { GENDERS, RegisterMemberDto } from './register-member.dto';

/**
 * Validates as `validateDto` (libs/shared/errors) does at the gateway and in member-service:
 * contracts may not import shared libs, so its options are repeated here.
 */
async function validateDto(input: Record<string, unknown>): Promise<RegisterMemberDto> {
  const instance = plainToInstance(RegisterMemberDto, input);
  const errors = await validate(instance, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length > 0) {
    throw new Error(`invalid: ${errors.map((error) => error.property).join(', ')}`);
  }
  return instance;
}

/** The properties that fail validation, each with its messages; `{}` when the input passes. */
async function failingFields(input: Record<string, unknown>): Promise<Record<string, string[]>> {
  const errors = await validate(plainToInstance(RegisterMemberDto, input), {
    whitelist: true,
    forbidNonWhitelisted: true,
  });
  return Object.fromEntries(
    errors.map((error) => [error.property, Object.values(error.constraints ?? {})]),
  );
}

describe(RegisterMemberDto.name, () => {
  it('accepts an empty registration, every field being optional', async () => {
    await expect(validateDto({})).resolves.toBeInstanceOf(RegisterMemberDto);
  });

  it('accepts a full registration', async () => {
    const input = {
      nickname: '小明',
      phone: '13812345678',
      email: 'alice@example.com',
      birthday: '1990-05-01',
      gender: 'female',
    };

    await expect(validateDto(input)).resolves.toEqual(input);
  });

  it('rejects an unknown field', async () => {
    await expect(failingFields({ nickName: 'Ann' })).resolves.toHaveProperty(['nickName']);
  });

  it.each(['+8613812345678', '+14155550123', '+4420123456', '13812345678', '19912345678'])(
    'accepts the phone number %p',
    async (phone) => {
      await expect(failingFields({ phone })).resolves.toEqual({});
    },
  );

  it.each([
    '12812345678',
    '1381234567',
    '138123456789',
    '8613812345678',
    '+0123456789',
    '+861',
    '+1234567890123456',
    '138-1234-5678',
    '138 1234 5678',
    ' 13812345678',
    '',
    13812345678,
  ])('rejects the phone number %p', async (phone) => {
    await expect(failingFields({ phone })).resolves.toHaveProperty(['phone']);
  });

  it.each(['alice@example.com', 'a.b+tag@sub.example.cn'])(
    'accepts the email %p',
    async (email) => {
      await expect(failingFields({ email })).resolves.toEqual({});
    },
  );

  it.each(['alice', 'alice@', '@example.com', 'alice@example', `${'a'.repeat(250)}@example.com`])(
    'rejects the email %p',
    async (email) => {
      await expect(failingFields({ email })).resolves.toHaveProperty(['email']);
    },
  );

  it.each(['1990-05-01', '2024-02-29', '2000-12-31'])(
    'accepts the birthday %p',
    async (birthday) => {
      await expect(failingFields({ birthday })).resolves.toEqual({});
    },
  );

  it.each([
    '2023-02-30',
    '2023-02-29',
    '1990-13-01',
    '1990-04-31',
    '1990-5-1',
    '19900501',
    '1990/05/01',
    '1990-05-01T00:00:00Z',
    'yesterday',
  ])('rejects the birthday %p', async (birthday) => {
    await expect(failingFields({ birthday })).resolves.toHaveProperty(['birthday']);
  });

  it.each([
    ['1 character', 'A'],
    ['64 characters', 'a'.repeat(64)],
    ['64 Chinese characters', '明'.repeat(64)],
  ])('accepts a nickname of %s', async (_name, nickname) => {
    await expect(failingFields({ nickname })).resolves.toEqual({});
  });

  it.each([
    ['no characters', ''],
    ['65 characters', 'a'.repeat(65)],
    ['a number', 42],
  ])('rejects a nickname of %s', async (_name, nickname) => {
    await expect(failingFields({ nickname })).resolves.toHaveProperty(['nickname']);
  });

  it.each(GENDERS)('accepts the gender %p', async (gender) => {
    await expect(failingFields({ gender })).resolves.toEqual({});
  });

  it.each(['Male', 'unknown', 'm', ''])('rejects the gender %p', async (gender) => {
    await expect(failingFields({ gender })).resolves.toHaveProperty(['gender']);
  });
});

describe('RegisterMemberDto birthday', () => {
  it('refuses a birthday in the future or before 1900', async () => {
    const nextYear = new Date().getUTCFullYear() + 1;
    expect(Object.keys(await failingFields({ birthday: `${nextYear}-01-01` }))).toEqual([
      'birthday',
    ]);
    expect(Object.keys(await failingFields({ birthday: '1899-12-31' }))).toEqual(['birthday']);
    expect(await failingFields({ birthday: '1990-05-06' })).toEqual({});
  });
});
