import type { Role } from '@member-system/contracts';
import { ValidationFailedException } from '@member-system/shared/errors';
import { subjectOf } from './subject';

const command = (roles: Role[], data: unknown, userId = '42') => ({
  data,
  actor: { userId, roles, perms: [] },
  correlationId: 'c',
});

describe(subjectOf.name, () => {
  it('means the caller for a member, whatever the data says about other members', () => {
    expect(subjectOf(command(['member'], {}))).toEqual({ userId: '42' });
    expect(() => subjectOf(command(['member'], { memberId: '7' }))).toThrow(
      /Only admins and services/,
    );
  });

  it('names another member for admins and services, with a valid id only', () => {
    expect(subjectOf(command(['admin'], { memberId: '7' }))).toEqual({ memberId: '7' });
    expect(subjectOf(command(['service'], { memberId: '7' }))).toEqual({ memberId: '7' });
    expect(() => subjectOf(command(['admin'], { memberId: '07' }))).toThrow();
  });

  it('names the member for a service known by name, and never takes its name for a user id', () => {
    expect(subjectOf(command(['service'], { memberId: '7' }, 'cart-service'))).toEqual({
      memberId: '7',
    });
    expect(() => subjectOf(command(['service'], {}, 'cart-service'))).toThrow(
      ValidationFailedException,
    );
  });
});
