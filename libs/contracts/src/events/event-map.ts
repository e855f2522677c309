import { EVENTS_EXCHANGE, PLATFORM_EXCHANGE } from '../common/envelope';
import {
  BenefitBirthdayGiftGrantedV1,
  BenefitLevelBenefitsChangedV1,
  BenefitUsedV1,
} from './benefit.events';
import { CampaignCompletedV1, CampaignJoinedV1, CampaignRewardGrantedV1 } from './campaign.events';
import {
  MemberBirthdayV1,
  MemberErasedV1,
  MemberLevelChangedV1,
  MemberOrderCreditedV1,
  MemberProfileUpdatedV1,
  MemberRegisteredV1,
} from './member.events';
import {
  OrderCancelledV1,
  OrderCompletedV1,
  OrderRefundedV1,
  OrderRefundRejectedV1,
  OrderRefundRequestedV1,
  ReviewApprovedV1,
  UserRegisteredV1,
} from './platform.events';
import {
  PointsEarnedV1,
  PointsExpiredV1,
  PointsExpiringSoonV1,
  PointsFrozenV1,
  PointsReversedV1,
  PointsUnfrozenV1,
  PointsUsedV1,
  PointsRestoredV1,
} from './point.events';

/**
 * Every event name of docs/api/contract.md mapped to its payload class, so that `publish(type, payload)` and
 * `on(type, handler)` are checked by the compiler. A breaking change is a new `.vN` name.
 */
export const EVENT_PAYLOAD_CLASSES = {
  // consumed from `platform.events`
  'user.registered.v1': UserRegisteredV1,
  'order.completed.v1': OrderCompletedV1,
  'order.cancelled.v1': OrderCancelledV1,
  'order.refund-requested.v1': OrderRefundRequestedV1,
  'order.refunded.v1': OrderRefundedV1,
  'order.refund-rejected.v1': OrderRefundRejectedV1,
  'review.approved.v1': ReviewApprovedV1,
  // published to `member-system.events`
  'member.registered.v1': MemberRegisteredV1,
  'member.profile-updated.v1': MemberProfileUpdatedV1,
  'member.level-changed.v1': MemberLevelChangedV1,
  'member.order-credited.v1': MemberOrderCreditedV1,
  'member.birthday.v1': MemberBirthdayV1,
  'member.erased.v1': MemberErasedV1,
  'points.earned.v1': PointsEarnedV1,
  'points.used.v1': PointsUsedV1,
  'points.restored.v1': PointsRestoredV1,
  'points.frozen.v1': PointsFrozenV1,
  'points.unfrozen.v1': PointsUnfrozenV1,
  'points.reversed.v1': PointsReversedV1,
  'points.expired.v1': PointsExpiredV1,
  'points.expiring-soon.v1': PointsExpiringSoonV1,
  'benefit.used.v1': BenefitUsedV1,
  'benefit.birthday-gift-granted.v1': BenefitBirthdayGiftGrantedV1,
  'benefit.level-benefits-changed.v1': BenefitLevelBenefitsChangedV1,
  'campaign.joined.v1': CampaignJoinedV1,
  'campaign.completed.v1': CampaignCompletedV1,
  'campaign.reward-granted.v1': CampaignRewardGrantedV1,
} as const;

export type EventType = keyof typeof EVENT_PAYLOAD_CLASSES;
export type EventPayload<T extends EventType> = InstanceType<(typeof EVENT_PAYLOAD_CLASSES)[T]>;

export function isEventType(value: string): value is EventType {
  return Object.prototype.hasOwnProperty.call(EVENT_PAYLOAD_CLASSES, value);
}

/** Published by other platform services on exchange `platform.events`; the member system consumes them. */
export const PLATFORM_EVENT_TYPES: readonly EventType[] = [
  'user.registered.v1',
  'order.completed.v1',
  'order.cancelled.v1',
  'order.refund-requested.v1',
  'order.refunded.v1',
  'order.refund-rejected.v1',
  'review.approved.v1',
];

/** Published by the member system on exchange `member-system.events`. */
export const MEMBER_SYSTEM_EVENT_TYPES: readonly EventType[] = [
  'member.registered.v1',
  'member.profile-updated.v1',
  'member.level-changed.v1',
  'member.order-credited.v1',
  'member.birthday.v1',
  'member.erased.v1',
  'points.earned.v1',
  'points.used.v1',
  'points.restored.v1',
  'points.frozen.v1',
  'points.unfrozen.v1',
  'points.reversed.v1',
  'points.expired.v1',
  'points.expiring-soon.v1',
  'benefit.used.v1',
  'benefit.birthday-gift-granted.v1',
  'benefit.level-benefits-changed.v1',
  'campaign.joined.v1',
  'campaign.completed.v1',
  'campaign.reward-granted.v1',
];

/** The exchange an event travels on: platform events on `platform.events`, ours on `member-system.events`. */
export function exchangeOf(type: EventType): string {
  return PLATFORM_EVENT_TYPES.includes(type) ? PLATFORM_EXCHANGE : EVENTS_EXCHANGE;
}
