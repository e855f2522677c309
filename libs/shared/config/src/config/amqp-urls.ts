import { registerDecorator } from 'class-validator';
import type { ValidationOptions } from 'class-validator';

/** An entry as it may be shown: without its credentials. */
function redacted(entry: string): string {
  return entry.replace(/\/\/[^@/]*@/, '//…@');
}

/**
 * RABBITMQ_URL: one amqp:// or amqps:// URL, or several separated by commas, one per node of a
 * RabbitMQ cluster. Clients connect to the first that answers and, when it goes away, to the
 * next. Throws a message naming the entry (without its password) that is not such a URL.
 */
export function parseAmqpUrls(value: string): string[] {
  const entries = value.split(',').map((entry) => entry.trim());
  entries.forEach((entry, index) => {
    const where = entries.length > 1 ? `entry ${index + 1} of ${entries.length}` : 'the URL';
    if (entry === '') throw new Error(`${where} is empty`);
    let url: URL;
    try {
      url = new URL(entry);
    } catch {
      throw new Error(`${where} ("${redacted(entry)}") is not a URL`);
    }
    if (url.protocol !== 'amqp:' && url.protocol !== 'amqps:') {
      throw new Error(`${where} ("${redacted(entry)}") must start with amqp:// or amqps://`);
    }
    if (url.hostname === '') throw new Error(`${where} ("${redacted(entry)}") has no host`);
  });
  return entries;
}

/** Validates a comma-separated list of AMQP URLs (see `parseAmqpUrls`). */
export function IsAmqpUrlList(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) => {
    let reason = '';
    registerDecorator({
      name: 'isAmqpUrlList',
      target: target.constructor,
      propertyName: String(propertyName),
      options,
      validator: {
        validate(value: unknown): boolean {
          if (typeof value !== 'string') {
            reason = 'a comma-separated list of amqp:// or amqps:// URLs';
            return false;
          }
          try {
            parseAmqpUrls(value);
            return true;
          } catch (error) {
            reason = (error as Error).message;
            return false;
          }
        },
        defaultMessage: () =>
          `${String(propertyName)} must be amqp:// or amqps:// URLs separated by commas: ${reason}`,
      },
    });
  };
}
