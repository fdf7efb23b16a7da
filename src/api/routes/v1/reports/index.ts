import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { sendPage, serviceQuery } from '../../../pagination.js';
import { ApiError, errors, IdParams, notFound } from '../../../schemas.js';
import { Ingested, Report, ReportDocument, ReportPage, ReportQuery } from './schema.js';

const tags = ['reports'];

export interface ReportRouteOptions {
  /** Largest pushed report, bytes. */
  reportBodyLimit: number;
}

export const reportRoutes: FastifyPluginAsyncZod<ReportRouteOptions> = async (app, options) => {
  app.post('/reports', {
    config: { permission: 'push' },
    bodyLimit: options.reportBodyLimit,
    schema: {
      tags,
      summary: 'Push a CLI or agent document; 202 once it is stored and applied',
      body: ReportDocument,
      response: { 202: Ingested, ...errors, 413: ApiError, 415: ApiError },
    },
    handler: async (req, reply) =>
      reply.code(202).send(await app.center.reports.ingest(req.principal!, req.body)),
  });
  app.get('/reports', {
    config: { permission: 'read' },
    schema: {
      tags,
      summary: 'Received reports',
      querystring: ReportQuery,
      response: { 200: ReportPage, ...errors },
    },
    handler: async (req, reply) =>
      sendPage(req, reply, Report, await app.center.reports.list(serviceQuery(req.query))),
  });
  app.get('/reports/:id', {
    config: { permission: 'read' },
    schema: {
      tags,
      summary: 'One received report',
      params: IdParams,
      response: { 200: Report, ...errors, ...notFound },
    },
    handler: (req) => app.center.reports.get(req.params.id),
  });
  app.get('/reports/:id/document', {
    config: { permission: 'read' },
    schema: {
      tags,
      summary: 'The document as received (keys sorted at every level: the text its digest is of)',
      params: IdParams,
      response: { 200: ReportDocument, ...errors, ...notFound },
    },
    handler: async (req, reply) => {
      const text = await app.center.reports.document(req.params.id);
      // the stored text as it is, not parsed and serialised again; the schema above documents it
      (reply as FastifyReply).type('application/json; charset=utf-8').send(text);
      return reply;
    },
  });
};
