import { ErrorCode } from '@member-system/contracts';

/** The HTTP status of every error code. Exhaustive: a new code without a status fails to compile. */
export function httpStatusOf(code: ErrorCode): number {
  switch (code) {
    case ErrorCode.ValidationFailed:
      return 400;
    case ErrorCode.Unauthenticated:
    case ErrorCode.TokenUserIdInvalid:
      return 401;
    case ErrorCode.Forbidden:
    case ErrorCode.CampaignNotEligible:
    case ErrorCode.ApprovalSelfReview:
      return 403;
    case ErrorCode.NotFound:
    case ErrorCode.RouteNotFound:
    case ErrorCode.MemberNotFound:
    case ErrorCode.LevelNotFound:
    case ErrorCode.PointAccountNotFound:
    case ErrorCode.HoldNotFound:
    case ErrorCode.BenefitNotFound:
    case ErrorCode.CampaignNotFound:
    case ErrorCode.ParticipationNotFound:
    case ErrorCode.JobNotFound:
    case ErrorCode.PointApprovalNotFound:
      return 404;
    case ErrorCode.Conflict:
    case ErrorCode.LevelExists:
    case ErrorCode.RequestInProgress:
    case ErrorCode.AlreadyCheckedIn:
    case ErrorCode.HoldNotReserved:
    case ErrorCode.OrderCancelled:
    case ErrorCode.OrderOwnedByAnotherMember:
    case ErrorCode.CampaignFull:
    case ErrorCode.CampaignNotOpen:
    case ErrorCode.CampaignStateConflict:
    case ErrorCode.AlreadyJoined:
    case ErrorCode.MemberErased:
    case ErrorCode.ApprovalNotPending:
      return 409;
    case ErrorCode.IdempotencyKeyReused:
    case ErrorCode.PointsInsufficient:
    case ErrorCode.FrozenPointsInsufficient:
    case ErrorCode.BenefitNotEligible:
    case ErrorCode.BenefitQuotaExceeded:
    case ErrorCode.CampaignRewardBenefitNotFound:
    case ErrorCode.CampaignMinLevelNotFound:
      return 422;
    case ErrorCode.RateLimited:
      return 429;
    case ErrorCode.ReadOnlyMode:
    case ErrorCode.ServiceUnavailable:
      return 503;
    case ErrorCode.Internal:
      return 500;
    default: {
      const unmapped: never = code;
      throw new Error(`no HTTP status for error code ${String(unmapped)}`);
    }
  }
}
