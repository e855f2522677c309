import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import type { ValidationError } from 'class-validator';
import { EVENT_PAYLOAD_CLASSES } from './event-map';
import type { EventPayload, EventType } from './event-map';

/** An optional field a lenient consumer left out; `reason` names the failed rules, never the value. */
export interface DroppedField {
  field: string;
  reason: string;
}

export type EventPayloadValidation<T extends EventType> =
  /** `dropped`: the invalid optional fields left out, when the consumer allowed that and there were any. */
  { ok: true; value: EventPayload<T>; dropped?: DroppedField[] } | { ok: false; errors: string[] };

export interface EventPayloadLeniency {
  /**
   * Top-level optional fields the consumer can do without: an invalid one is dropped (and
   * reported in `dropped`) instead of failing the whole payload. Empty by default: strict.
   */
  droppable?: readonly string[];
}

/**
 * Checks an incoming payload against its class before any handler runs. Unknown fields are
 * dropped, not rejected, so a producer may add fields without breaking older consumers. The
 * classes stay strict (what we publish must be right); leniency is the consumer's choice.
 */
export function validateEventPayload<T extends EventType>(
  type: T,
  payload: unknown,
  { droppable = [] }: EventPayloadLeniency = {},
): EventPayloadValidation<T> {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    return { ok: false, errors: ['payload must be an object'] };
  }
  const payloadClass = EVENT_PAYLOAD_CLASSES[type] as new () => EventPayload<T>;
  const value = plainToInstance(payloadClass, payload);
  const errors = validateSync(value, { whitelist: true, forbidNonWhitelisted: false });
  if (errors.length === 0) return { ok: true, value };
  if (!errors.every((error) => droppable.includes(error.property))) {
    return { ok: false, errors: errors.flatMap((error) => messagesOf(error)) };
  }
  for (const error of errors) delete (value as unknown as Record<string, unknown>)[error.property];
  const dropped = errors.map((error) => ({
    field: error.property,
    reason: Object.keys(error.constraints ?? {}).join(',') || 'invalid',
  }));
  return { ok: true, value, dropped };
}

/** `reward.points must be an integer number`: nested errors carry their path. */
function messagesOf(error: ValidationError, parentPath = ''): string[] {
  const path = parentPath ? `${parentPath}.${error.property}` : error.property;
  const own = Object.values(error.constraints ?? {}).map((message) =>
    parentPath ? `${parentPath}.${message}` : message,
  );
  return [...own, ...(error.children ?? []).flatMap((child) => messagesOf(child, path))];
}
