import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { sendPage, serviceQuery } from '../../../pagination.js';
import { errors } from '../../../schemas.js';
import { AuditEntry, AuditEntryPage, AuditQuery } from './schema.js';

export const auditLogRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/audit-log', {
    config: { permission: 'admin' },
    schema: {
      tags: ['audit-log'],
      summary: 'Changes made by people, tokens and the center, newest first',
      querystring: AuditQuery,
      response: { 200: AuditEntryPage, ...errors },
    },
    handler: async (req, reply) =>
      sendPage(req, reply, AuditEntry, await app.center.access.audit.list(serviceQuery(req.query))),
  });
};
