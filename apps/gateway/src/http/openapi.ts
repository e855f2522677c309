import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { OpenAPIObject } from '@nestjs/swagger';
import type { OperationObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

/** Every route lives under this prefix, except health and metrics (probes and scrapers). */
export const API_PREFIX = 'api/v1';
export const UNPREFIXED_ROUTES = ['health/live', 'health/ready', 'metrics'];

/** The OpenAPI document at `/docs-json`, browsable at `/docs`. */
export function setupOpenApi(app: NestFastifyApplication): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Member System API')
      .setDescription(
        'Members, points, levels, benefits and campaigns. Errors: {code, message, details, correlationId}.',
      )
      .setVersion('1')
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
      .build(),
  );
  withErrorAnswers(document);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
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

/** The answers every API route may give besides its own (API.md, "Conventions"). */
const COMMON_ERRORS: Record<string, { description: string; retryAfter?: boolean }> = {
  '400': { description: 'VALIDATION_FAILED: the failing fields are in details' },
  '401': { description: 'UNAUTHENTICATED: no valid token' },
  '403': { description: 'FORBIDDEN: the role or admin permission is missing' },
  '422': { description: 'A business rule refused it (IDEMPOTENCY_KEY_REUSED among others)' },
  '429': { description: 'RATE_LIMITED', retryAfter: true },
  '503': {
    description: 'READ_ONLY_MODE, or a dependency is down (SERVICE_UNAVAILABLE)',
    retryAfter: true,
  },
};

/**
 * Adds the shared error body (`ErrorBody`) and the common error answers to every operation under
 * the API prefix, keeping any answer a route documents itself.
 */
function withErrorAnswers(document: OpenAPIObject): void {
  document.components = { ...document.components };
  document.components.schemas = { ...document.components.schemas, ErrorBody: ERROR_BODY };
  for (const [path, operations] of Object.entries(document.paths)) {
    if (!path.startsWith(`/${API_PREFIX}/`)) continue;
    for (const operation of Object.values(operations as Record<string, OperationObject>)) {
      for (const [status, answer] of Object.entries(COMMON_ERRORS)) {
        if (operation.responses[status]) continue;
        operation.responses[status] = {
          description: answer.description,
          content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorBody' } } },
          ...(answer.retryAfter
            ? {
                headers: { 'Retry-After': { schema: { type: 'integer' }, description: 'Seconds' } },
              }
            : {}),
        };
      }
    }
  }
}
