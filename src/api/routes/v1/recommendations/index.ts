import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { sendPage, serviceQuery } from '../../../pagination.js';
import { errors, notFound } from '../../../schemas.js';
import {
  Recommendation,
  RecommendationDetail,
  RecommendationPage,
  RecommendationParams,
  RecommendationQuery,
} from './schema.js';

const tags = ['recommendations'];

export const recommendationRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/recommendations', {
    config: { permission: 'read' },
    schema: {
      tags,
      summary: 'One recommendation per catalogue control, plus the vulnerability ones',
      querystring: RecommendationQuery,
      response: { 200: RecommendationPage, ...errors },
    },
    handler: async (req, reply) =>
      sendPage(req, reply, Recommendation, await app.center.recommendations.list(serviceQuery(req.query))),
  });
  app.get('/recommendations/:id', {
    config: { permission: 'read' },
    schema: {
      tags,
      summary: 'A recommendation with its affected resources',
      params: RecommendationParams,
      response: { 200: RecommendationDetail, ...errors, ...notFound },
    },
    handler: (req) => app.center.recommendations.get(req.params.id),
  });
};
