import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import type { ValidationError } from 'class-validator';
import { EVENT_PAYLOAD_CLASSES } from './event-map';
import type { EventPayload, EventType } from './event-map';

export type EventPayloadValidation<T extends EventType> =
  { ok: true; value: EventPayload<T> } | { ok: false; errors: string[] };

/**
 * Checks an incoming payload against its class before any handler runs. Unknown fields are
 * dropped, not rejected, so a producer may add fields without breaking older consumers.
 */
export function validateEventPayload<T extends EventType>(
  type: T,
  payload: unknown,
): EventPayloadValidation<T> {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    return { ok: false, errors: ['payload must be an object'] };
  }
  const payloadClass = EVENT_PAYLOAD_CLASSES[type] as new () => EventPayload<T>;
  const value = plainToInstance(payloadClass, payload);
  const errors = validateSync(value, { whitelist: true, forbidNonWhitelisted: false });
  if (errors.length > 0) return { ok: false, errors: errors.flatMap((error) => messagesOf(error)) };
  return { ok: true, value };
}

/** `reward.points must be an integer number`: nested errors carry their path. */
function messagesOf(error: ValidationError, parentPath = ''): string[] {
  const path = parentPath ? `${parentPath}.${error.property}` : error.property;
  const own = Object.values(error.constraints ?? {}).map((message) =>
    parentPath ? `${parentPath}.${message}` : message,
  );
  return [...own, ...(error.children ?? []).flatMap((child) => messagesOf(child, path))];
}
