import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { sendPage, serviceQuery } from '../../../pagination.js';
import { errors, notFound } from '../../../schemas.js';
import { CreatedToken, NewToken, Token, TokenPage, TokenParams, TokenQuery } from './schema.js';

const tags = ['tokens'];
const admin = { permission: 'admin' } as const;

export const tokenRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/tokens', {
    config: admin,
    schema: {
      tags,
      summary: 'API tokens (never their secret)',
      querystring: TokenQuery,
      response: { 200: TokenPage, ...errors },
    },
    handler: async (req, reply) =>
      sendPage(req, reply, Token, await app.center.access.tokens.list(serviceQuery(req.query))),
  });
  app.post('/tokens', {
    config: admin,
    schema: {
      tags,
      summary: 'Create a token; the answer is the only time it is shown',
      body: NewToken,
      response: { 201: CreatedToken, ...errors },
    },
    handler: async (req, reply) => {
      const created = await app.center.access.tokens.create(req.principal!, req.body);
      return reply.code(201).send({ ...created.view, token: created.token });
    },
  });
  app.delete('/tokens/:id', {
    config: admin,
    schema: {
      tags,
      summary: 'Revoke a token (by id or prefix)',
      params: TokenParams,
      response: { 200: Token, ...errors, ...notFound },
    },
    handler: (req) => app.center.access.tokens.revoke(req.principal!, req.params.id),
  });
};
