/**
 * Every error code a client can see. The gateway maps each to an HTTP status in one exhaustive
 * switch, so adding a code here without a mapping fails to compile.
 */
export enum ErrorCode {
  ValidationFailed = 'VALIDATION_FAILED',
  Unauthenticated = 'UNAUTHENTICATED',
  /** A member token whose user id claim is not a platform user id (a decimal number). */
  TokenUserIdInvalid = 'TOKEN_USER_ID_INVALID',
  Forbidden = 'FORBIDDEN',
  NotFound = 'NOT_FOUND',
  RouteNotFound = 'ROUTE_NOT_FOUND',
  Conflict = 'CONFLICT',
  RequestInProgress = 'REQUEST_IN_PROGRESS',
  IdempotencyKeyReused = 'IDEMPOTENCY_KEY_REUSED',
  RateLimited = 'RATE_LIMITED',
  ReadOnlyMode = 'READ_ONLY_MODE',
  ServiceUnavailable = 'SERVICE_UNAVAILABLE',
  Internal = 'INTERNAL_ERROR',
  /** `GET /admin/jobs/{jobId}` for a job its service does not have. */
  JobNotFound = 'JOB_NOT_FOUND',
  // member
  MemberNotFound = 'MEMBER_NOT_FOUND',
  LevelNotFound = 'LEVEL_NOT_FOUND',
  LevelExists = 'LEVEL_EXISTS',
  // point
  PointAccountNotFound = 'POINT_ACCOUNT_NOT_FOUND',
  PointsInsufficient = 'POINTS_INSUFFICIENT',
  FrozenPointsInsufficient = 'FROZEN_POINTS_INSUFFICIENT',
  HoldNotFound = 'HOLD_NOT_FOUND',
  HoldNotReserved = 'HOLD_NOT_RESERVED',
  AlreadyCheckedIn = 'ALREADY_CHECKED_IN',
  OrderCancelled = 'ORDER_CANCELLED',
  /** Another member already paid with points on this order id (nothing of theirs is shown). */
  OrderOwnedByAnotherMember = 'ORDER_OWNED_BY_ANOTHER_MEMBER',
  PointApprovalNotFound = 'POINT_APPROVAL_NOT_FOUND',
  /** Approving or rejecting an adjustment request that was approved or rejected already. */
  ApprovalNotPending = 'APPROVAL_NOT_PENDING',
  /** The admin who requested an adjustment cannot approve or reject it (maker–checker). */
  ApprovalSelfReview = 'APPROVAL_SELF_REVIEW',
  // benefit
  BenefitNotFound = 'BENEFIT_NOT_FOUND',
  BenefitNotEligible = 'BENEFIT_NOT_ELIGIBLE',
  BenefitQuotaExceeded = 'BENEFIT_QUOTA_EXCEEDED',
  // campaigns
  CampaignNotFound = 'CAMPAIGN_NOT_FOUND',
  ParticipationNotFound = 'PARTICIPATION_NOT_FOUND',
  CampaignNotOpen = 'CAMPAIGN_NOT_OPEN',
  CampaignStateConflict = 'CAMPAIGN_STATE_CONFLICT',
  CampaignFull = 'CAMPAIGN_FULL',
  AlreadyJoined = 'ALREADY_JOINED',
  CampaignNotEligible = 'CAMPAIGN_NOT_ELIGIBLE',
  /** A campaign's reward names a benefit that does not exist (or was removed). */
  CampaignRewardBenefitNotFound = 'CAMPAIGN_REWARD_BENEFIT_NOT_FOUND',
  /** A campaign's `minLevelId` names a level that does not exist. */
  CampaignMinLevelNotFound = 'CAMPAIGN_MIN_LEVEL_NOT_FOUND',
  // member profile
  MemberErased = 'MEMBER_ERASED',
}

export function isErrorCode(value: string): value is ErrorCode {
  return (Object.values(ErrorCode) as string[]).includes(value);
}
