import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errors } from '../../../schemas.js';
import { Score } from './schema.js';

export const scoreRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/score', {
    config: { permission: 'read' },
    schema: {
      tags: ['score'],
      summary: 'Secure score now and its daily history',
      response: { 200: Score, ...errors },
    },
    handler: () => app.center.score.get(),
  });
};
