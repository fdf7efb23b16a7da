import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { sendPage, serviceQuery } from '../../../pagination.js';
import { errors } from '../../../schemas.js';
import { PackageQuery, PackageUse, PackageUsePage } from './schema.js';

export const packageRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/packages', {
    config: { permission: 'read' },
    schema: {
      tags: ['packages'],
      summary: 'Images holding a package, and where they run',
      querystring: PackageQuery,
      response: { 200: PackageUsePage, ...errors },
    },
    handler: async (req, reply) =>
      sendPage(req, reply, PackageUse, await app.center.packages.find(serviceQuery(req.query))),
  });
};
