import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errors } from '../../../schemas.js';
import { Compliance, ComplianceQuery } from './schema.js';

export const complianceRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/compliance', {
    config: { permission: 'read' },
    schema: {
      tags: ['compliance'],
      summary: 'Pass / fail / not applicable per control of a standard',
      querystring: ComplianceQuery,
      response: { 200: Compliance, ...errors },
    },
    handler: (req) => app.center.compliance.get(req.query.standard),
  });
};
