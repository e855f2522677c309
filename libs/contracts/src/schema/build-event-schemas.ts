// Builds JSON Schemas and an AsyncAPI document from the event payload classes. Not exported from
// the contracts index on purpose: `class-validator-jsonschema` is a dev dependency, used only by
// `npm run schemas` and tests, never by a running service.
import { IS_ISO8601, IS_NUMBER_STRING, MAX, MIN, ValidationTypes } from 'class-validator';
import { validationMetadatasToSchemas } from 'class-validator-jsonschema';
import { defaultMetadataStorage } from 'class-transformer/cjs/storage';
import { IS_CALENDAR_DATE } from '../common/calendar-date';
import { EVENTS_EXCHANGE, PLATFORM_EXCHANGE } from '../common/envelope';
import {
  EVENT_PAYLOAD_CLASSES,
  MEMBER_SYSTEM_EVENT_TYPES,
  PLATFORM_EVENT_TYPES,
  exchangeOf,
} from '../events';
import type { EventType } from '../events';
import { EVENT_DESCRIPTIONS } from './event-descriptions';
import { EVENT_EXAMPLES } from './event-examples';

export type JsonSchema = Record<string, unknown>;

type SchemaOptions = NonNullable<Parameters<typeof validationMetadatasToSchemas>[0]>;

const JSON_SCHEMA_DIALECT = 'http://json-schema.org/draft-07/schema#';
const DEFINITIONS_PREFIX = '#/definitions/';
const COMPONENT_SCHEMAS_PREFIX = '#/components/schemas/';

/** Where the library's defaults say less than the validators check, or something else. */
const CONVERTERS: SchemaOptions['additionalConverters'] = {
  // `{no_symbols: true}` means digits only; the default pattern allows a sign.
  [IS_NUMBER_STRING]: (meta) => {
    const options: unknown = meta.constraints[0];
    const digitsOnly =
      typeof options === 'object' &&
      options !== null &&
      'no_symbols' in options &&
      options.no_symbols === true;
    return { type: 'string', pattern: digitsOnly ? '^[0-9]+$' : '^[-+]?[0-9]+$' };
  },
  // The default also says `type: number`, which would overwrite the `integer` of `@IsInt()`.
  [MIN]: (meta) => ({ minimum: meta.constraints[0] as number }),
  [MAX]: (meta) => ({ maximum: meta.constraints[0] as number }),
  // Event times are timestamps. The default `oneOf` date | date-time fails every value in a
  // validator that does not check formats, since both branches then match.
  [IS_ISO8601]: { type: 'string', format: 'date-time' },
  // A day without a time (a birthday): `YYYY-MM-DD`.
  [IS_CALENDAR_DATE]: { type: 'string', format: 'date' },
  // `required` already says it; beside a `$ref` the default `not: null` is ignored anyway.
  [ValidationTypes.IS_DEFINED]: {},
};

/** The schema of every payload class reachable from an event, keyed by class name. */
function payloadSchemas(refPointerPrefix: string): Record<string, JsonSchema> {
  const classNames = Object.values(EVENT_PAYLOAD_CLASSES).map((payloadClass) => payloadClass.name);
  const duplicate = classNames.find((name, index) => classNames.indexOf(name) !== index);
  if (duplicate) throw new Error(`Two event payload classes are named ${duplicate}`);
  // class-transformer's @Type tells which class an array's items are.
  const all = validationMetadatasToSchemas({
    refPointerPrefix,
    additionalConverters: CONVERTERS,
    classTransformerMetadataStorage: defaultMetadataStorage,
  });
  // A JSON round trip gives plain data that callers may change without touching the library's.
  return JSON.parse(JSON.stringify(all)) as Record<string, JsonSchema>;
}

/** `name` and every schema it references, transitively, in a stable order. */
function closure(
  name: string,
  all: Record<string, JsonSchema>,
  prefix: string,
): Record<string, JsonSchema> {
  const found: Record<string, JsonSchema> = {};
  const visit = (current: string): void => {
    if (current in found) return;
    const schema = all[current];
    if (!schema)
      throw new Error(`No validation metadata for ${current}: is every field decorated?`);
    found[current] = schema;
    for (const ref of refsIn(schema)) {
      if (ref.startsWith(prefix)) visit(ref.slice(prefix.length));
    }
  };
  visit(name);
  return found;
}

function refsIn(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(refsIn);
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, child]) =>
    key === '$ref' && typeof child === 'string' ? [child] : refsIn(child),
  );
}

/** The envelope of docs/api/contract.md, "Events", with `payload` pointing at the payload schema. */
function envelopeSchema(type: EventType, payloadRef: string): JsonSchema {
  return {
    type: 'object',
    required: ['eventId', 'type', 'occurredAt', 'correlationId', 'producer', 'payload'],
    properties: {
      eventId: {
        type: 'string',
        minLength: 1,
        description: 'Unique per event and the AMQP messageId; consumers deduplicate on it.',
      },
      type: { type: 'string', const: type, description: 'Also the AMQP type and the routing key.' },
      occurredAt: { type: 'string', format: 'date-time' },
      correlationId: { type: 'string' },
      producer: {
        type: 'string',
        minLength: 1,
        description: 'The publishing service, e.g. order-service.',
      },
      payload: { $ref: payloadRef },
    },
  };
}

/** One self-contained JSON Schema (draft-07) per event type: the envelope and its payload. */
export function buildEventSchemas(): Record<EventType, JsonSchema> {
  const all = payloadSchemas(DEFINITIONS_PREFIX);
  const entries = eventTypes().map((type): [EventType, JsonSchema] => {
    const payloadName = EVENT_PAYLOAD_CLASSES[type].name;
    return [
      type,
      {
        $schema: JSON_SCHEMA_DIALECT,
        title: type,
        description: `${EVENT_DESCRIPTIONS[type]} Exchange ${exchangeOf(type)}, routing key ${type}.`,
        ...envelopeSchema(type, `${DEFINITIONS_PREFIX}${payloadName}`),
        definitions: closure(payloadName, all, DEFINITIONS_PREFIX),
      },
    ];
  });
  return Object.fromEntries(entries) as Record<EventType, JsonSchema>;
}

/** The name of the broker in the AsyncAPI document's `servers`. */
const BROKER = 'rabbitmq';

/** Who publishes the events of each prefix (`points.earned.v1`: point-service). */
const PRODUCERS: Record<string, string> = {
  user: 'user-service',
  order: 'order-service',
  review: 'review-service',
  member: 'member-service',
  points: 'point-service',
  benefit: 'benefit-service',
  campaign: 'event-service',
};

/** The message of `type` as it travels: the envelope around the event's example payload. */
function exampleEnvelope(type: EventType): JsonSchema {
  return {
    eventId: '0d9f1c2e-6b7a-4e21-9a55-3f2b8c1d7e90',
    type,
    occurredAt: '2026-11-25T08:00:00.000Z',
    correlationId: 'c7b1e6a2-41d3-4c9e-8f0a-2d5e9b7c3a14',
    producer: PRODUCERS[type.split('.')[0] ?? ''] ?? 'unknown',
    payload: EVENT_EXAMPLES[type],
  };
}

/**
 * AsyncAPI 2.6: the RabbitMQ broker as the server, one channel per exchange, one message per event
 * type (= routing key), each with an example.
 */
export function buildAsyncApiDocument(): JsonSchema {
  const all = payloadSchemas(COMPONENT_SCHEMAS_PREFIX);
  const types = eventTypes();
  const schemas = Object.assign(
    {},
    ...types.map((type) =>
      closure(EVENT_PAYLOAD_CLASSES[type].name, all, COMPONENT_SCHEMAS_PREFIX),
    ),
  ) as Record<string, JsonSchema>;
  const messages = Object.fromEntries(
    types.map((type) => [
      type,
      {
        name: type,
        title: type,
        summary: EVENT_DESCRIPTIONS[type],
        contentType: 'application/json',
        payload: envelopeSchema(
          type,
          `${COMPONENT_SCHEMAS_PREFIX}${EVENT_PAYLOAD_CLASSES[type].name}`,
        ),
        bindings: { amqp: { messageType: type, bindingVersion: '0.2.0' } },
        examples: [{ name: type, payload: exampleEnvelope(type) }],
      },
    ]),
  );
  return {
    asyncapi: '2.6.0',
    id: 'urn:member-system:events',
    info: {
      title: 'Member System events',
      version: '1.0.0',
      description:
        'Messages on the bus (docs/api/contract.md, "Events"). The routing key and the AMQP `type` are the event ' +
        'type, the AMQP `messageId` is `eventId`, messages are persistent. A breaking change is a new ' +
        '`.vN` type. Consumers ignore fields they do not know.',
    },
    defaultContentType: 'application/json',
    servers: {
      [BROKER]: {
        url: '{host}:{port}',
        protocol: 'amqp',
        protocolVersion: '0-9-1',
        description:
          'The RabbitMQ broker the platform shares (RABBITMQ_URL of every app); vhost `/` unless ' +
          'the deployment sets another.',
        variables: {
          host: { default: 'localhost', description: 'The broker host' },
          port: { default: '5672', description: 'AMQP port (5671 with TLS)' },
        },
        security: [{ brokerUser: [] }],
      },
    },
    channels: {
      [PLATFORM_EXCHANGE]: {
        description: 'Published by other platform services; the member system consumes these.',
        servers: [BROKER],
        bindings: exchangeBinding(PLATFORM_EXCHANGE),
        // AsyncAPI 2.x names operations from the application's side: `publish` = it receives.
        publish: operation('receivePlatformEvents', PLATFORM_EVENT_TYPES),
      },
      [EVENTS_EXCHANGE]: {
        description: 'Published by the member system through its transactional outbox.',
        servers: [BROKER],
        bindings: exchangeBinding(EVENTS_EXCHANGE),
        subscribe: operation('publishMemberSystemEvents', MEMBER_SYSTEM_EVENT_TYPES),
      },
    },
    components: {
      schemas,
      messages,
      securitySchemes: {
        brokerUser: {
          type: 'userPassword',
          description: 'A RabbitMQ user allowed on the vhost (guest/guest on a local broker)',
        },
      },
    },
  };
}

function exchangeBinding(name: string): JsonSchema {
  return {
    amqp: {
      is: 'routingKey',
      exchange: { name, type: 'topic', durable: true, autoDelete: false, vhost: '/' },
      bindingVersion: '0.2.0',
    },
  };
}

function operation(operationId: string, types: readonly EventType[]): JsonSchema {
  return {
    operationId,
    summary: 'Routing key = event type.',
    bindings: { amqp: { cc: [...types], deliveryMode: 2, bindingVersion: '0.2.0' } },
    message: { oneOf: types.map((type) => ({ $ref: `#/components/messages/${type}` })) },
  };
}

function eventTypes(): EventType[] {
  return Object.keys(EVENT_PAYLOAD_CLASSES) as EventType[];
}
