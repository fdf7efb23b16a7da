import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { sendPage, serviceQuery } from '../../../pagination.js';
import { errors } from '../../../schemas.js';
import { ControlResult, ControlResultPage, ControlResultQuery } from './schema.js';

export const controlResultRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/control-results', {
    config: { permission: 'read' },
    schema: {
      tags: ['control-results'],
      summary: 'Docker and Kubernetes control results with their life',
      querystring: ControlResultQuery,
      response: { 200: ControlResultPage, ...errors },
    },
    handler: async (req, reply) =>
      sendPage(req, reply, ControlResult, await app.center.controlResults.list(serviceQuery(req.query))),
  });
};
