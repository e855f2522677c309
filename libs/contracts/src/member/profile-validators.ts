import { ValidateBy, buildMessage } from 'class-validator';
import type { ValidationArguments, ValidationOptions } from 'class-validator';

/** A member id in a path: a positive decimal BIGINT, never `0` or a leading zero. */
export const MEMBER_ID_PATTERN = /^[1-9]\d{0,19}$/;

/** The earliest birthday accepted: anything older is a typo. */
export const EARLIEST_BIRTHDAY = '1900-01-01';

/**
 * Today's date as the time zone furthest ahead (UTC+14) sees it: a date that is today somewhere
 * on Earth is not in the future, anything later is.
 */
export function latestTodayIso(now: Date = new Date()): string {
  return new Date(now.getTime() + 14 * 3_600_000).toISOString().slice(0, 10);
}

/** A `YYYY-MM-DD` that is neither in the future nor before 1900 (its format is checked apart). */
export function IsPlausibleBirthday(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isPlausibleBirthday',
      validator: {
        validate: (value: unknown): boolean =>
          typeof value === 'string' && value >= EARLIEST_BIRTHDAY && value <= latestTodayIso(),
        defaultMessage: buildMessage(
          (each) => `${each}$property must not be in the future nor before ${EARLIEST_BIRTHDAY}`,
          options,
        ),
      },
    },
    options,
  );
}

/** The end of a range: not before the property named `startProperty` when both are present. */
export function IsNotBeforeProperty(
  startProperty: string,
  options?: ValidationOptions,
): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isNotBeforeProperty',
      constraints: [startProperty],
      validator: {
        validate: (value: unknown, args?: ValidationArguments): boolean => {
          const start = (args?.object as Record<string, unknown> | undefined)?.[startProperty];
          if (typeof value !== 'string' || typeof start !== 'string') return true;
          const [from, to] = [Date.parse(start), Date.parse(value)];
          return Number.isNaN(from) || Number.isNaN(to) || from <= to;
        },
        defaultMessage: buildMessage(
          (each) => `${each}$property must not be before $constraint1`,
          options,
        ),
      },
    },
    options,
  );
}
