import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { OpenAPIObject } from '@nestjs/swagger';
import type { OperationObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { OPERATIONS } from './operations';

/** Every route lives under this prefix, except health and metrics (probes and scrapers). */
export const API_PREFIX = 'api/v1';
export const UNPREFIXED_ROUTES = ['health/live', 'health/ready', 'metrics'];

/** The tags of the operations, in the order the document lists them. */
const TAGS: Record<string, string> = {
  members: "The caller's membership and profile",
  points: "The caller's points: balance, history, check-in, spending and checkout holds",
  levels: "The level ladder and the caller's progress",
  benefits: 'Level benefits: what the caller has, quotes and uses at checkout',
  campaigns: 'Member campaigns: joining and participations',
  admin: 'Back office: points, levels, benefits, campaigns, jobs, audit and system state',
  'admin: members': 'Back office: finding, revealing and erasing members',
};

/** The OpenAPI document at `/docs-json`, browsable at `/docs`. */
export function setupOpenApi(app: NestFastifyApplication): void {
  const builder = new DocumentBuilder()
    .setTitle('Member System API')
    .setDescription(
      'Members, points, levels, benefits and campaigns of the e-commerce platform, for client apps ' +
        '(member tokens), platform services (service tokens) and the back office (admin tokens with ' +
        'permissions). Errors answer `{code, message, details, correlationId}`. Every write accepts ' +
        'an `Idempotency-Key`.',
    )
    .setVersion('1')
    .setLicense('MIT', 'https://opensource.org/license/mit')
    .addServer('/', 'The gateway serving this document')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
  for (const [name, description] of Object.entries(TAGS)) builder.addTag(name, description);
  const document = SwaggerModule.createDocument(app, builder.build(), {
    // Replaced by OPERATIONS' ids in describeOperations; this key finds the entry.
    operationIdFactory: (controller, method) => `${controller}.${method}`,
  });
  onlyTheApi(document);
  describeOperations(document);
  withErrorAnswers(document);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}

/**
 * The document describes the API under the prefix: health and metrics are for probes and
 * scrapers, not client apps, and docs/operations.md describes them.
 */
function onlyTheApi(document: OpenAPIObject): void {
  for (const path of Object.keys(document.paths)) {
    if (!path.startsWith(`/${API_PREFIX}/`)) delete document.paths[path];
  }
}

/** Each operation's id, description and body example from OPERATIONS; a missing entry throws. */
function describeOperations(document: OpenAPIObject): void {
  for (const operation of operationsOf(document)) {
    const handler = operation.operationId ?? '';
    const doc = OPERATIONS[handler];
    if (!doc) throw new Error(`${handler} is not described in apps/gateway/src/http/operations.ts`);
    operation.operationId = doc.id;
    operation.description = doc.description;
    const json =
      operation.requestBody && 'content' in operation.requestBody
        ? operation.requestBody.content['application/json']
        : undefined;
    if (json && doc.body) json.example = doc.body;
  }
}

function operationsOf(document: OpenAPIObject): OperationObject[] {
  return Object.values(document.paths).flatMap((item) =>
    (['get', 'put', 'post', 'delete', 'patch'] as const).flatMap((method) =>
      item[method] ? [item[method]] : [],
    ),
  );
}

const ERROR_BODY = {
  type: 'object',
  required: ['code', 'message', 'correlationId'],
  properties: {
    code: { type: 'string', example: 'POINTS_INSUFFICIENT' },
    message: { type: 'string' },
    details: { type: 'object', additionalProperties: true },
    correlationId: { type: 'string' },
  },
};

/** The answers every API route may give besides its own (docs/api/contract.md, "Conventions"). */
const COMMON_ERRORS: Record<string, { description: string; retryAfter?: boolean }> = {
  '400': { description: 'VALIDATION_FAILED: the failing fields are in details' },
  '401': {
    description:
      'UNAUTHENTICATED: no valid token; TOKEN_USER_ID_INVALID: a member or admin token whose user id is not decimal',
  },
  '403': { description: 'FORBIDDEN: the role or admin permission is missing' },
  '422': { description: 'A business rule refused it (the code says which)' },
  '429': { description: 'RATE_LIMITED', retryAfter: true },
  '503': {
    description:
      'READ_ONLY_MODE, or a dependency is down (SERVICE_UNAVAILABLE; the identity provider included, when its keys cannot be fetched)',
    retryAfter: true,
  },
};

const ERROR_CONTENT = {
  'application/json': { schema: { $ref: '#/components/schemas/ErrorBody' } },
};

/**
 * Adds the shared error body (`ErrorBody`) and the common error answers to every operation, and
 * gives the error body to the error answers a route documents itself (by their codes).
 */
function withErrorAnswers(document: OpenAPIObject): void {
  document.components = { ...document.components };
  document.components.schemas = { ...document.components.schemas, ErrorBody: ERROR_BODY };
  for (const operation of operationsOf(document)) {
    for (const [status, answer] of Object.entries(operation.responses)) {
      if (answer && Number(status) >= 400 && !('$ref' in answer) && !answer.content) {
        answer.content = ERROR_CONTENT;
      }
    }
    for (const [status, answer] of Object.entries(COMMON_ERRORS)) {
      if (operation.responses[status]) continue;
      operation.responses[status] = {
        description: answer.description,
        content: ERROR_CONTENT,
        ...(answer.retryAfter
          ? {
              headers: { 'Retry-After': { schema: { type: 'integer' }, description: 'Seconds' } },
            }
          : {}),
      };
    }
  }
}
