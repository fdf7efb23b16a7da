import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errors, notFound } from '../../../schemas.js';
import { Verdict, VerdictParams, VerdictQuery } from './schema.js';

export const imageRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/images/:digest/verdict', {
    config: { permission: 'read-exceptions' },
    schema: {
      tags: ['images'],
      summary: "A CI gate with the center's view: open findings at or above a severity, after exceptions",
      params: VerdictParams,
      querystring: VerdictQuery,
      response: { 200: Verdict, ...errors, ...notFound },
    },
    handler: (req) => app.center.images.verdict(req.params.digest, req.query.severity),
  });
};
