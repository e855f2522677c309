import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
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
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}
