import { ErrorCode } from '@member-system/contracts';
import { InvalidTokenError, identityOf } from './token-identity';

/** What `read` throws (the test fails when it throws nothing). */
function refusal(read: () => unknown): unknown {
  try {
    read();
  } catch (error) {
    return error;
  }
  throw new Error('expected a refusal');
}

describe(identityOf.name, () => {
  const sut = identityOf;

  it('reads a member from sub', () => {
    expect(sut({ sub: '42', roles: ['member'] }, 'sub')).toEqual({
      userId: '42',
      roles: ['member'],
      perms: [],
    });
  });

  it('accepts a user id of 19 digits', () => {
    expect(sut({ sub: '9223372036854775807', roles: ['member'] }, 'sub').userId).toBe(
      '9223372036854775807',
    );
  });

  it('reads the user id from another claim, a namespaced one included, and from a number', () => {
    expect(sut({ sub: 'auth0|abc', uid: '42', roles: ['member'] }, 'uid').userId).toBe('42');
    expect(
      sut({ 'https://example.com/user_id': 42, roles: ['member'] }, 'https://example.com/user_id')
        .userId,
    ).toBe('42');
  });

  it.each([
    ['a word', 'abc'],
    ['zero', '0'],
    ['a leading zero', '042'],
    ['a negative id', '-42'],
    ['20 digits', '12345678901234567890'],
    ['a fraction', 4.2],
    ['nothing', undefined],
  ])('refuses a member or admin whose user id is %s, with TOKEN_USER_ID_INVALID', (_name, sub) => {
    for (const roles of [['member'], ['admin'], ['member', 'service']]) {
      const claims = { roles, ...(sub === undefined ? {} : { sub }) };
      const error = refusal(() => sut(claims, 'sub'));
      expect(error).toBeInstanceOf(InvalidTokenError);
      expect(error).toMatchObject({
        code: ErrorCode.TokenUserIdInvalid,
        message: expect.stringMatching(/^sub must be a decimal platform user id/),
      });
    }
  });

  it('names a service by its sub', () => {
    expect(sut({ sub: 'cart-service', roles: ['service'] }, 'sub')).toEqual({
      userId: 'cart-service',
      roles: ['service'],
      perms: [],
    });
    expect(sut({ sub: 'billing.v2:eu_west-1', roles: ['service'] }, 'uid').userId).toBe(
      'billing.v2:eu_west-1',
    );
    expect(sut({ sub: 'x', uid: 'order-service', roles: ['service'] }, 'uid').userId).toBe(
      'order-service',
    );
  });

  it.each([
    ['empty', ''],
    ['65 characters', 'a'.repeat(65)],
    ['a space', 'cart service'],
    ['a pipe', 'auth0|cart'],
    ['a slash', 'cart/service'],
  ])('refuses a service subject that is %s', (_name, sub) => {
    expect(() => sut({ sub, roles: ['service'] }, 'sub')).toThrow(/service/);
  });

  it.each([
    ['an unknown role', ['member', 'superuser']],
    ['no role', []],
    ['a string instead of a list', 'admin'],
    ['nothing', undefined],
  ])('refuses roles holding %s', (_name, roles) => {
    expect(() => sut({ sub: '42', ...(roles === undefined ? {} : { roles }) }, 'sub')).toThrow(
      /roles/,
    );
  });

  it.each([
    ['an unknown permission', ['members:read', 'members:delete']],
    ['a string instead of a list', 'members:read'],
    ['null', null],
  ])('refuses perms holding %s', (_name, perms) => {
    expect(() => sut({ sub: '42', roles: ['admin'], perms }, 'sub')).toThrow(/perms/);
  });
});
