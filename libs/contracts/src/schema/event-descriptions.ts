import type { EventType } from '../events';

/** One line per event for the generated schemas and the AsyncAPI document. */
export const EVENT_DESCRIPTIONS: Record<EventType, string> = {
  'user.registered.v1': 'A platform user signed up; the member is created if absent.',
  'order.completed.v1':
    'An order was completed: its amount counts towards the level and earns points.',
  'order.cancelled.v1': 'An order was cancelled: points used and holds on it are restored.',
  'order.refund-requested.v1':
    'A refund was requested: the points the order earned are frozen (7 days at most).',
  'order.refunded.v1':
    'A refund was paid: frozen points are reversed proportionally and the spend reduced.',
  'order.refund-rejected.v1': 'A refund was rejected: frozen points are released.',
  'review.approved.v1': 'A review was approved: review points are earned.',
  'member.registered.v1': 'A member was created, through the API or from user.registered.v1.',
  'member.profile-updated.v1': 'A member changed profile fields (named only; values are PII).',
  'member.level-changed.v1':
    'A member changed level; consumers keep the highest version per member.',
  'member.order-credited.v1':
    'A completed order was added to total spent, with the level before and after.',
  'member.birthday.v1':
    "It is the member's birthday in the business time zone, once a year; the level's gift follows from it.",
  'member.erased.v1': "A member's PII was destroyed; consumers drop any copy of the profile.",
  'points.earned.v1': 'Points were credited as a new lot.',
  'points.used.v1': 'Points were spent on an order or deducted by an admin.',
  'points.restored.v1': 'A spend was given back because its order was cancelled, to the same lots.',
  'points.frozen.v1': 'Points were frozen for a refund request or by an admin.',
  'points.unfrozen.v1': 'A freeze was released.',
  'points.reversed.v1': 'Points were taken back for a refund; what was already spent became debt.',
  'points.expired.v1': 'Lots reached their expiry and lapsed.',
  'points.expiring-soon.v1':
    'Points will lapse soon unless spent (a reminder at a configured lead time).',
  'benefit.used.v1': 'A level benefit was applied to an order at checkout.',
  'benefit.level-benefits-changed.v1':
    'The switched-on benefits of a level after an admin changed them; consumers keep the newest version.',
  'benefit.birthday-gift-granted.v1':
    "A member's birthday gift for the year, from their level's BIRTHDAY_GIFT benefit; point-service credits it once.",
  'campaign.joined.v1': 'A member joined a campaign.',
  'campaign.completed.v1': "A member's participation in a campaign was completed.",
  'campaign.reward-granted.v1': 'A campaign reward was granted for a completed participation.',
};
