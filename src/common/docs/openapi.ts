import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { errorResponseSchema } from './error-schema';

/** Serves the OpenAPI UI at /docs and the document at /docs-json. */
export function setupOpenApi(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Shop payments API')
    .setDescription(
      'Orders, stock, coupons and balance payments. Every error body is { statusCode, code, message }. ' +
        'Any route that needs Postgres or Redis answers 503 SERVICE_UNAVAILABLE while one of them is unreachable. ' +
        'Any route may also answer, in the same shape: 408 REQUEST_TIMEOUT (a request not received within the server\'s timeouts), ' +
        '413 PAYLOAD_TOO_LARGE (a body over 100 kB), 415 UNSUPPORTED_MEDIA_TYPE (a body not in UTF-8 or with an unknown Content-Encoding) ' +
        'and 431 REQUEST_HEADER_FIELDS_TOO_LARGE (headers over 16 kB).',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .build();
  const document = SwaggerModule.createDocument(app, config);
  for (const path of Object.values(document.paths)) {
    for (const operation of Object.values(path)) {
      if (operation && typeof operation === 'object' && 'responses' in operation) {
        operation.responses['503'] ??= { description: 'SERVICE_UNAVAILABLE', content: { 'application/json': { schema: errorResponseSchema(['SERVICE_UNAVAILABLE']) } } };
      }
    }
  }
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json', yamlDocumentUrl: 'docs-yaml' });
}
