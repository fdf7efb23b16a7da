import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { alertRoutes } from './alerts/index.js';
import { auditLogRoutes } from './audit-log/index.js';
import { complianceRoutes } from './compliance/index.js';
import { controlResultRoutes } from './control-results/index.js';
import { exceptionRoutes } from './exceptions/index.js';
import { findingRoutes } from './findings/index.js';
import { imageRoutes } from './images/index.js';
import { packageRoutes } from './packages/index.js';
import { recommendationRoutes } from './recommendations/index.js';
import { type ReportRouteOptions, reportRoutes } from './reports/index.js';
import { resourceRoutes } from './resources/index.js';
import { scoreRoutes } from './score/index.js';
import { type SessionRouteOptions, sessionRoutes } from './session/index.js';
import { tokenRoutes } from './tokens/index.js';
import { userRoutes } from './users/index.js';

export type V1Options = ReportRouteOptions & SessionRouteOptions;

/** Every /api/v1 route folder, alphabetical; adding one = one folder + one line. A test checks the folders. */
export const V1_ROUTES: readonly { folder: string; plugin: FastifyPluginAsyncZod<V1Options> }[] = [
  { folder: 'alerts', plugin: alertRoutes },
  { folder: 'audit-log', plugin: auditLogRoutes },
  { folder: 'compliance', plugin: complianceRoutes },
  { folder: 'control-results', plugin: controlResultRoutes },
  { folder: 'exceptions', plugin: exceptionRoutes },
  { folder: 'findings', plugin: findingRoutes },
  { folder: 'images', plugin: imageRoutes },
  { folder: 'packages', plugin: packageRoutes },
  { folder: 'recommendations', plugin: recommendationRoutes },
  { folder: 'reports', plugin: reportRoutes as FastifyPluginAsyncZod<V1Options> },
  { folder: 'resources', plugin: resourceRoutes },
  { folder: 'score', plugin: scoreRoutes },
  { folder: 'session', plugin: sessionRoutes as FastifyPluginAsyncZod<V1Options> },
  { folder: 'tokens', plugin: tokenRoutes },
  { folder: 'users', plugin: userRoutes },
];
