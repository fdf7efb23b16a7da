import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { sendPage, serviceQuery } from '../../../pagination.js';
import { ApiError, errors, IdParams, notFound } from '../../../schemas.js';
import { NewUser, User, UserPage, UserPatch, UserQuery } from './schema.js';

const tags = ['users'];
const admin = { permission: 'admin' } as const;

export const userRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/users', {
    config: admin,
    schema: { tags, summary: 'Local users', querystring: UserQuery, response: { 200: UserPage, ...errors } },
    handler: async (req, reply) =>
      sendPage(req, reply, User, await app.center.access.users.list(serviceQuery(req.query))),
  });
  app.post('/users', {
    config: admin,
    schema: {
      tags,
      summary: 'Add a user',
      body: NewUser,
      response: { 201: User, ...errors, 409: ApiError },
    },
    handler: async (req, reply) =>
      reply.code(201).send(await app.center.access.users.add(req.principal!, req.body)),
  });
  app.get('/users/:id', {
    config: admin,
    schema: { tags, summary: 'One user', params: IdParams, response: { 200: User, ...errors, ...notFound } },
    handler: (req) => app.center.access.users.get(req.params.id),
  });
  app.patch('/users/:id', {
    config: admin,
    schema: {
      tags,
      summary: 'Change a role or password (a new password ends the sessions)',
      params: IdParams,
      body: UserPatch,
      response: { 200: User, ...errors, ...notFound, 409: ApiError },
    },
    handler: (req) => app.center.access.users.update(req.principal!, req.params.id, req.body),
  });
  app.delete('/users/:id', {
    config: admin,
    schema: {
      tags,
      summary: 'Remove a user and end their sessions',
      params: IdParams,
      response: { 204: z.null(), ...errors, ...notFound, 409: ApiError },
    },
    handler: async (req, reply) => {
      await app.center.access.users.delete(req.principal!, req.params.id);
      return reply.code(204).send(null);
    },
  });
};
