import { ErrorCode } from '@member-system/contracts';
import { AppException } from '@member-system/shared/errors';
import { RpcClient } from '@member-system/shared/messaging';
import type { ReadOnlyMode } from './read-only-mode';
import { ReadOnlyReportingRpcClient } from './read-only-reporting-rpc-client';
import type { ReadOnlyOn } from './read-only-state';

const automaticOn: ReadOnlyOn = {
  enabled: true,
  source: 'automatic',
  reason: 'member-service reports its primary database unwritable',
  since: '2026-11-25T08:00:00.000Z',
  by: 'member-service',
  expiresAt: '2026-11-25T08:01:00.000Z',
};
const command = { data: {}, actor: { userId: '42', roles: [], perms: [] }, correlationId: 'c-1' };

describe(ReadOnlyReportingRpcClient.name, () => {
  const reportUnwritable = jest.fn().mockResolvedValue(automaticOn);
  const sut = new ReadOnlyReportingRpcClient('amqp://unused', 1000, {
    reportUnwritable,
  } as unknown as ReadOnlyMode);
  const plainSend = jest.spyOn(RpcClient.prototype, 'send');

  afterEach(() => jest.clearAllMocks());
  afterAll(() => plainSend.mockRestore());

  it("reports a service's READ_ONLY_MODE answer and refuses like the mode does", async () => {
    plainSend.mockRejectedValue(new AppException(ErrorCode.ReadOnlyMode, 'database read-only'));

    const failure = sut.send('member', 'member.update-me', command);

    await expect(failure).rejects.toMatchObject({
      code: ErrorCode.ReadOnlyMode,
      details: { since: automaticOn.since, reason: automaticOn.reason },
    });
    expect(reportUnwritable).toHaveBeenCalledWith('member');
  });

  it('passes every other error through untouched, reporting nothing', async () => {
    const refusal = new AppException(ErrorCode.PointsInsufficient, 'Not enough points');
    plainSend.mockRejectedValue(refusal);

    await expect(sut.send('point', 'points.use', command)).rejects.toBe(refusal);
    expect(reportUnwritable).not.toHaveBeenCalled();
  });

  it('answers what the service answered', async () => {
    plainSend.mockResolvedValue({ available: 5 });

    await expect(sut.send('point', 'points.balance', command)).resolves.toEqual({ available: 5 });
  });
});
