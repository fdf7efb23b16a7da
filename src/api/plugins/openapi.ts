import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { TOOL } from '../../core/version.js';

export const OPENAPI_PATH = '/api/v1/openapi.json';

const DESCRIPTION = [
  "Bulkhead's center: inventory, results over time, recommendations, secure score, exceptions, access.",
  '',
  'Lists answer `{items, next, total}` and take `limit`, `cursor` (the `next` of the previous page) and `sort`;',
  '`?format=csv` answers the same page as CSV. Errors answer `{error: {code, message}}` with a stable',
  '`BULKHEAD_ERR_*` code. Authenticate with `Authorization: Bearer <token>` or the session cookie of',
  '`POST /api/v1/session`; cookie requests that change something send the `x-csrf-token` header.',
].join('\n');

/**
 * The OpenAPI 3.1 document, generated from the routes' Zod schemas (shared schemas become `$ref`s), and the
 * browsable page at /api/docs, served from the installed swagger-ui package (no CDN).
 */
export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Bulkhead API', version: TOOL.version, description: DESCRIPTION },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'An API token `bh_…`.' },
          session: { type: 'apiKey', in: 'cookie', name: 'bulkhead_session' },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(swaggerUi, {
    routePrefix: '/api/docs',
    uiConfig: { url: OPENAPI_PATH },
  });
  app.get(OPENAPI_PATH, { schema: { hide: true } }, async () => app.swagger());
}
