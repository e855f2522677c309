import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';

/**
 * Reads settings from the environment into a validated config class. Every field has a working
 * local default in its class; a bad value stops the boot with a message naming the variable.
 */
export function loadConfig<T extends object>(
  configClass: new () => T,
  env: Record<string, string | undefined> = process.env,
): T {
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const config = plainToInstance(configClass, present, {
    enableImplicitConversion: true,
    exposeDefaultValues: true,
    excludeExtraneousValues: false,
  });
  const errors = validateSync(config, { whitelist: false, skipMissingProperties: false });
  if (errors.length > 0) {
    const lines = errors.map(
      (error) =>
        `  ${error.property}=${JSON.stringify(env[error.property] ?? null)}: ${Object.values(error.constraints ?? {}).join('; ')}`,
    );
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return config;
}
