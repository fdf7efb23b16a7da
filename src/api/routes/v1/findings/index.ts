import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { sendListOf } from '../../../pagination.js';
import { errors } from '../../../schemas.js';
import { Finding, FindingPage, FindingQuery } from './schema.js';

export const findingRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/findings', {
    config: { permission: 'read' },
    schema: {
      tags: ['findings'],
      summary: 'Vulnerability findings with their life (first/last seen, resolved, excepted)',
      querystring: FindingQuery,
      response: { 200: FindingPage, ...errors },
    },
    handler: (req, reply) => sendListOf(req, reply, Finding, req.query, app.center.findings),
  });
};
