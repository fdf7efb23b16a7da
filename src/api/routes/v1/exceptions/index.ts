import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { sendPage, serviceQuery } from '../../../pagination.js';
import { ApiError, errors, IdParams, notFound } from '../../../schemas.js';
import { Exception, ExceptionPage, ExceptionPatch, ExceptionQuery, NewException } from './schema.js';

const tags = ['exceptions'];
// agents read exceptions to apply them to their own gates
const read = { permission: 'read-exceptions' } as const;
const triage = { permission: 'triage' } as const;

export const exceptionRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/exceptions', {
    config: read,
    schema: {
      tags,
      summary: 'Exceptions',
      querystring: ExceptionQuery,
      response: { 200: ExceptionPage, ...errors },
    },
    handler: async (req, reply) =>
      sendPage(req, reply, Exception, await app.center.exceptions.list(serviceQuery(req.query))),
  });
  app.get('/exceptions/:id', {
    config: read,
    schema: {
      tags,
      summary: 'One exception',
      params: IdParams,
      response: { 200: Exception, ...errors, ...notFound },
    },
    handler: (req) => app.center.exceptions.get(req.params.id),
  });
  app.post('/exceptions', {
    config: triage,
    schema: {
      tags,
      summary: 'Request an exception (active at once unless approval is required)',
      body: NewException,
      response: { 201: Exception, ...errors },
    },
    handler: async (req, reply) =>
      reply.code(201).send(await app.center.exceptions.create(req.principal!, req.body)),
  });
  app.patch('/exceptions/:id', {
    config: triage,
    schema: {
      tags,
      summary: 'Change an exception',
      params: IdParams,
      body: ExceptionPatch,
      response: { 200: Exception, ...errors, ...notFound },
    },
    handler: (req) => app.center.exceptions.update(req.principal!, req.params.id, req.body),
  });
  app.post('/exceptions/:id/approve', {
    config: triage,
    schema: {
      tags,
      summary: 'Approve a pending exception (by someone other than the requester when approval is required)',
      params: IdParams,
      response: { 200: Exception, ...errors, ...notFound, 409: ApiError },
    },
    handler: (req) => app.center.exceptions.approve(req.principal!, req.params.id),
  });
  app.delete('/exceptions/:id', {
    config: triage,
    schema: {
      tags,
      summary: 'Revoke an exception: what it covered opens again',
      params: IdParams,
      response: { 204: z.null(), ...errors, ...notFound },
    },
    handler: async (req, reply) => {
      await app.center.exceptions.revoke(req.principal!, req.params.id);
      return reply.code(204).send(null);
    },
  });
};
