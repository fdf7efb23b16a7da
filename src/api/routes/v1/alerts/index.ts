import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { sendListOf } from '../../../pagination.js';
import { errors, IdParams, notFound } from '../../../schemas.js';
import { Alert, AlertPage, AlertPatch, AlertQuery } from './schema.js';

const tags = ['alerts'];

export const alertRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/alerts', {
    config: { permission: 'read' },
    schema: {
      tags,
      summary: 'Run-time alerts with their triage state',
      querystring: AlertQuery,
      response: { 200: AlertPage, ...errors },
    },
    handler: (req, reply) => sendListOf(req, reply, Alert, req.query, app.center.alerts),
  });
  app.patch('/alerts/:id', {
    config: { permission: 'triage' },
    schema: {
      tags,
      summary: 'Triage an alert: state, assignee, reason',
      params: IdParams,
      body: AlertPatch,
      response: { 200: Alert, ...errors, ...notFound },
    },
    handler: (req) => app.center.alerts.update(req.principal!, req.params.id, req.body),
  });
};
