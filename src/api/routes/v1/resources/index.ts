import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { sendListOf } from '../../../pagination.js';
import { errors, notFound } from '../../../schemas.js';
import { Resource, ResourceDetail, ResourcePage, ResourceParams, ResourceQuery } from './schema.js';

const tags = ['resources'];

export const resourceRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/resources', {
    config: { permission: 'read' },
    schema: {
      tags,
      summary: 'Inventory of the three families with their health',
      querystring: ResourceQuery,
      response: { 200: ResourcePage, ...errors },
    },
    handler: (req, reply) => sendListOf(req, reply, Resource, req.query, app.center.inventory),
  });
  app.get('/resources/:key', {
    config: { permission: 'read' },
    schema: {
      tags,
      summary: 'One resource with why it is unhealthy',
      params: ResourceParams,
      response: { 200: ResourceDetail, ...errors, ...notFound },
    },
    handler: (req) => app.center.inventory.get(req.params.key),
  });
};
