import { ErrorCode, MemberRpc } from '@member-system/contracts';
import type { Actor, MemberView } from '@member-system/contracts';
import { AppException } from '@member-system/shared/errors';
import type { RpcClient } from '@member-system/shared/messaging';
import { testLogger } from '@member-system/shared/testing';
import type { AuditTrail } from '../audit/audit-trail';
import { AdminMembersController } from './admin-members.controller';

const revealed: MemberView = {
  id: '42',
  userId: '4242',
  nickname: 'Ann',
  phone: '13812345678',
  email: 'ann@example.com',
  birthday: '1990-05-01',
  gender: 'female',
  avatarUrl: null,
  realName: '安妮',
  erased: false,
  level: { id: 1, name: 'Regular' },
  totalSpent: '0.00',
  createdAt: '2026-01-01T00:00:00.000Z',
};

const piiAdmin: Actor = {
  userId: '7',
  roles: ['admin'],
  perms: ['members:read', 'members:pii', 'members:write'],
};

describe(AdminMembersController.name, () => {
  let send: jest.Mock;
  let record: jest.Mock;
  let sut: AdminMembersController;

  beforeEach(() => {
    send = jest.fn();
    record = jest.fn().mockResolvedValue({ id: '1', hash: 'h' });
    sut = new AdminMembersController(
      { send } as unknown as RpcClient,
      { record } as unknown as AuditTrail,
      testLogger(),
    );
  });

  it('audits a reveal before handing out the PII', async () => {
    send.mockResolvedValue(revealed);

    await expect(sut.get(piiAdmin, '42', { reveal: 'true' })).resolves.toEqual(revealed);
    expect(record).toHaveBeenCalledWith(
      expect.objectContaining({
        action: 'member.reveal-pii',
        outcome: 'succeeded',
        targetMemberId: '42',
        after: { revealed: ['phone', 'email', 'birthday', 'realName'] },
      }),
    );
  });

  it('refuses with 503 and reveals nothing when the audit record cannot be written', async () => {
    send.mockResolvedValue(revealed);
    record.mockRejectedValue(new Error('MySQL is down'));

    const refusal = sut.get(piiAdmin, '42', { reveal: 'true' });

    await expect(refusal).rejects.toBeInstanceOf(AppException);
    await expect(refusal).rejects.toMatchObject({ code: ErrorCode.ServiceUnavailable });
    await expect(refusal).rejects.not.toMatchObject({ details: { phone: expect.anything() } });
  });

  it('refuses a reveal without members:pii before asking member-service, and audits the refusal', async () => {
    const reader: Actor = { ...piiAdmin, perms: ['members:read'] };

    await expect(sut.get(reader, '42', { reveal: 'true' })).rejects.toMatchObject({
      code: ErrorCode.Forbidden,
    });
    expect(send).not.toHaveBeenCalled();
    expect(record).toHaveBeenCalledWith(expect.objectContaining({ outcome: 'refused' }));
  });

  it('still answers 403 for a refused reveal when the audit trail is down', async () => {
    record.mockRejectedValue(new Error('MySQL is down'));
    const reader: Actor = { ...piiAdmin, perms: ['members:read'] };

    await expect(sut.get(reader, '42', { reveal: 'true' })).rejects.toMatchObject({
      code: ErrorCode.Forbidden,
    });
  });

  it('reads without reveal and without an audit record', async () => {
    send.mockResolvedValue({ ...revealed, phone: '138****5678' });

    await sut.get(piiAdmin, '42', {});

    expect(send).toHaveBeenCalledWith(
      'member',
      MemberRpc.adminGet,
      expect.objectContaining({ data: { memberId: '42', reveal: false } }),
    );
    expect(record).not.toHaveBeenCalled();
  });

  it('records a failed erasure with the error code, and passes the error on', async () => {
    send.mockRejectedValue(new AppException(ErrorCode.MemberNotFound, 'no such member'));

    await expect(sut.erase(piiAdmin, '42', undefined)).rejects.toMatchObject({
      code: ErrorCode.MemberNotFound,
    });
    expect(record).toHaveBeenCalledWith(
      expect.objectContaining({
        action: 'member.erase',
        outcome: 'failed',
        after: { error: 'MEMBER_NOT_FOUND' },
      }),
    );
  });

  it('answers 503 when an erasure cannot be audited, so the idempotent retry records it', async () => {
    send.mockResolvedValue({
      member: { ...revealed, erased: true },
      alreadyErased: false,
      erasedAt: '2026-01-01T00:00:00.000Z',
    });
    record.mockRejectedValue(new Error('MySQL is down'));

    await expect(sut.erase(piiAdmin, '42', undefined)).rejects.toMatchObject({
      code: ErrorCode.ServiceUnavailable,
    });
  });
});
