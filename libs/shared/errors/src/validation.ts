import { plainToInstance } from 'class-transformer';
import type { ValidationError } from 'class-validator';
import { validate } from 'class-validator';
import { ValidationFailedException } from './app.exception';

/** Flattens class-validator errors to `{ "field.path": ["message", …] }`. */
export function flattenValidationErrors(
  errors: ValidationError[],
  prefix = '',
): Record<string, string[]> {
  const fields: Record<string, string[]> = {};
  for (const error of errors) {
    const path = prefix ? `${prefix}.${error.property}` : error.property;
    if (error.constraints) fields[path] = Object.values(error.constraints);
    if (error.children?.length)
      Object.assign(fields, flattenValidationErrors(error.children, path));
  }
  return fields;
}

/**
 * Validates untrusted input into a DTO instance: unknown fields are rejected, so a typo never
 * passes silently. Throws ValidationFailedException naming each failing field.
 */
export async function validateDto<T extends object>(
  dtoClass: new () => T,
  input: unknown,
): Promise<T> {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new ValidationFailedException({ body: ['must be a JSON object'] });
  }
  const instance = plainToInstance(dtoClass, input);
  const errors = await validate(instance, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length > 0) throw new ValidationFailedException(flattenValidationErrors(errors));
  return instance;
}
