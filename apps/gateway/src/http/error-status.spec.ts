import { ErrorCode } from '@member-system/contracts';
import { httpStatusOf } from './error-status';

describe(httpStatusOf.name, () => {
  const sut = httpStatusOf;

  it.each(Object.values(ErrorCode))('maps %s to an error status', (code) => {
    const status = sut(code);

    expect(Number.isInteger(status)).toBe(true);
    expect(status).toBeGreaterThanOrEqual(400);
    expect(status).toBeLessThanOrEqual(599);
  });

  it.each([
    [ErrorCode.ValidationFailed, 400],
    [ErrorCode.Unauthenticated, 401],
    [ErrorCode.Forbidden, 403],
    [ErrorCode.NotFound, 404],
    [ErrorCode.MemberNotFound, 404],
    [ErrorCode.AlreadyCheckedIn, 409],
    [ErrorCode.PointsInsufficient, 422],
    [ErrorCode.CampaignRewardBenefitNotFound, 422],
    [ErrorCode.CampaignMinLevelNotFound, 422],
    [ErrorCode.RateLimited, 429],
    [ErrorCode.Internal, 500],
    [ErrorCode.ReadOnlyMode, 503],
    [ErrorCode.ServiceUnavailable, 503],
  ])('maps %s to %i', (code, status) => {
    expect(sut(code)).toBe(status);
  });

  it('throws on a code that is not in the enum', () => {
    expect(() => sut('NOT_A_CODE' as ErrorCode)).toThrow(/NOT_A_CODE/);
  });
});
