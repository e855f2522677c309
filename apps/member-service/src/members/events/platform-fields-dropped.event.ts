import type { DroppedField } from '@member-system/contracts';

/**
 * A platform event was handled without some of its optional fields, which were invalid (a bad
 * phone, say). Published once the event's transaction committed, so once per event.
 */
export class PlatformFieldsDroppedEvent {
  constructor(
    readonly eventId: string,
    readonly eventType: string,
    readonly dropped: readonly DroppedField[],
  ) {}
}
