import { ValidateBy, buildMessage } from 'class-validator';
import type { ValidationOptions } from 'class-validator';

/** The validator's name, which the event schemas map to JSON Schema's `format: date`. */
export const IS_CALENDAR_DATE = 'isCalendarDate';

/** A day of the calendar as `YYYY-MM-DD` (no time, no zone), and one that exists. */
export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const day = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(day.getTime()) && day.toISOString().startsWith(value);
}

export function IsCalendarDate(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: IS_CALENDAR_DATE,
      validator: {
        validate: isCalendarDate,
        defaultMessage: buildMessage(
          (each) => `${each}$property must be a YYYY-MM-DD date`,
          options,
        ),
      },
    },
    options,
  );
}
