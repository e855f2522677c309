import { EVENTS_EXCHANGE, PLATFORM_EXCHANGE } from '../common/envelope';
import type { EventType } from '../events';
import { EVENT_PAYLOAD_CLASSES, MEMBER_SYSTEM_EVENT_TYPES, PLATFORM_EVENT_TYPES } from '../events';
import type { JsonSchema } from './build-event-schemas';
import { buildAsyncApiDocument, buildEventSchemas } from './build-event-schemas';
import { validateEventPayload } from '../events/validate-event-payload';

const allTypes = Object.keys(EVENT_PAYLOAD_CLASSES) as EventType[];

/** Every `$ref` in `value`. */
function refsIn(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(refsIn);
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, child]) =>
    key === '$ref' && typeof child === 'string' ? [child] : refsIn(child),
  );
}

/** Follows a local JSON pointer such as `#/definitions/OrderCompletedV1`. */
function resolve(document: JsonSchema, ref: string): unknown {
  return ref
    .replace(/^#\//, '')
    .split('/')
    .reduce<unknown>(
      (node, key) =>
        typeof node === 'object' && node !== null ? (node as JsonSchema)[key] : undefined,
      document,
    );
}

describe(buildEventSchemas.name, () => {
  const sut = buildEventSchemas;
  const schemas = sut();

  it('produces a schema for every event type', () => {
    expect(Object.keys(schemas).sort()).toEqual([...allTypes].sort());
  });

  it.each(allTypes)('makes %s a self-contained envelope of its payload', (type) => {
    const schema = schemas[type];

    expect(schema).toMatchObject({
      title: type,
      required: ['eventId', 'type', 'occurredAt', 'correlationId', 'producer', 'payload'],
      properties: {
        type: { const: type },
        payload: { $ref: `#/definitions/${EVENT_PAYLOAD_CLASSES[type].name}` },
      },
    });
    expect(refsIn(schema).filter((ref) => resolve(schema, ref) === undefined)).toEqual([]);
  });

  it('describes ids as digits, money by its pattern and points as integers', () => {
    expect(resolve(schemas['points.earned.v1'], '#/definitions/PointsEarnedV1')).toMatchObject({
      required: expect.arrayContaining(['memberId', 'points', 'source']),
      properties: {
        memberId: { type: 'string', pattern: '^[0-9]+$' },
        points: { type: 'integer', minimum: 1 },
        source: { enum: expect.arrayContaining(['order', 'check-in', 'batch']) },
        expiresAt: { type: 'string', format: 'date-time' },
      },
    });
    expect(resolve(schemas['order.completed.v1'], '#/definitions/OrderCompletedV1')).toMatchObject({
      properties: { amount: { type: 'string', pattern: expect.stringContaining('\\.\\d{2}$') } },
    });
  });

  it('describes platform ids (orders, refunds, reviews) by their opaque-id pattern', () => {
    const opaque = { type: 'string', pattern: '^[A-Za-z0-9._:-]{1,64}$' };

    expect(resolve(schemas['order.refunded.v1'], '#/definitions/OrderRefundedV1')).toMatchObject({
      properties: { orderId: opaque, refundId: opaque, userId: { pattern: '^[0-9]+$' } },
    });
    expect(resolve(schemas['review.approved.v1'], '#/definitions/ReviewApprovedV1')).toMatchObject({
      properties: { reviewId: opaque, orderId: opaque },
    });
    expect(resolve(schemas['benefit.used.v1'], '#/definitions/BenefitUsedV1')).toMatchObject({
      properties: { orderId: opaque },
    });
  });

  it("describes a birthday's date as the calendar date member-service sends (YYYY-MM-DD)", () => {
    expect(resolve(schemas['member.birthday.v1'], '#/definitions/MemberBirthdayV1')).toMatchObject({
      properties: { date: { type: 'string', format: 'date' } },
    });
  });

  it('inlines nested payload classes', () => {
    expect(schemas['campaign.reward-granted.v1']).toMatchObject({
      definitions: {
        CampaignRewardGrantedV1: {
          properties: { reward: { $ref: '#/definitions/CampaignRewardV1' } },
        },
        CampaignRewardV1: {
          properties: { points: { type: 'integer' }, benefitId: { type: 'string' } },
        },
      },
    });
  });

  it('leaves optional fields out of required', () => {
    expect(resolve(schemas['review.approved.v1'], '#/definitions/ReviewApprovedV1')).toMatchObject({
      required: ['reviewId', 'userId'],
    });
  });
});

describe(buildAsyncApiDocument.name, () => {
  const sut = buildAsyncApiDocument;
  const document = sut();

  it('is an AsyncAPI 2.6 document with one channel per exchange', () => {
    expect(document).toMatchObject({ asyncapi: '2.6.0' });
    expect(Object.keys(document.channels as JsonSchema).sort()).toEqual(
      [EVENTS_EXCHANGE, PLATFORM_EXCHANGE].sort(),
    );
  });

  it('routes each event by its type on its exchange', () => {
    expect(document).toMatchObject({
      channels: {
        [PLATFORM_EXCHANGE]: { publish: { bindings: { amqp: { cc: [...PLATFORM_EVENT_TYPES] } } } },
        [EVENTS_EXCHANGE]: {
          subscribe: { bindings: { amqp: { cc: [...MEMBER_SYSTEM_EVENT_TYPES] } } },
        },
      },
    });
  });

  it('has a message for every event type and resolves every reference', () => {
    expect(Object.keys(resolve(document, '#/components/messages') as JsonSchema).sort()).toEqual(
      [...allTypes].sort(),
    );
    expect(refsIn(document).filter((ref) => resolve(document, ref) === undefined)).toEqual([]);
  });
});

describe(`${buildAsyncApiDocument.name}: broker and examples`, () => {
  const document = buildAsyncApiDocument();
  const messages = resolve(document, '#/components/messages') as Record<string, JsonSchema>;

  it('names the RabbitMQ broker as the server of both exchanges, its host a variable', () => {
    expect(document.servers).toEqual({
      rabbitmq: expect.objectContaining({
        url: '{host}:{port}',
        protocol: 'amqp',
        variables: {
          host: expect.objectContaining({ default: 'localhost' }),
          port: expect.objectContaining({ default: '5672' }),
        },
      }) as JsonSchema,
    });
    for (const exchange of [PLATFORM_EXCHANGE, EVENTS_EXCHANGE]) {
      expect(resolve(document, `#/channels/${exchange}/servers`)).toEqual(['rabbitmq']);
    }
  });

  it.each(allTypes)('gives %s one example its own payload class accepts', (type) => {
    const examples = messages[type]?.examples as { payload: JsonSchema }[];
    expect(examples).toHaveLength(1);
    const envelope = examples[0]?.payload ?? {};
    const schema = messages[type]?.payload as JsonSchema;

    expect(Object.keys(envelope).sort()).toEqual([...(schema.required as string[])].sort());
    expect(envelope.type).toBe(type);
    expect(validateEventPayload(type, envelope.payload)).toMatchObject({ ok: true });
    const payloadRef = (schema.properties as { payload: { $ref: string } }).payload.$ref;
    const payloadSchema = resolve(document, payloadRef) as JsonSchema;
    expect(Object.keys(envelope.payload as JsonSchema)).toEqual(
      expect.arrayContaining(payloadSchema.required as string[]),
    );
  });
});
