import { z } from 'zod';
import { ROLES } from '../center/index.js';
import { SEVERITIES } from '../core/severity.js';

/** Schemas shared by several route folders; each is registered so the OpenAPI document refers to it by name. */

export const ApiError = z
  .object({
    error: z.object({
      code: z.string().describe('A stable BULKHEAD_ERR_* code (docs/api.md).'),
      message: z.string().describe('One line for people; never a secret.'),
      requestId: z
        .string()
        .optional()
        .describe('Given with internal errors: the log line carries the detail.'),
    }),
  })
  .describe('Every error answer.');
z.globalRegistry.add(ApiError, { id: 'ApiError' });

export const Severity = z.enum(SEVERITIES);
z.globalRegistry.add(Severity, { id: 'Severity' });

export const Role = z.enum(ROLES);
z.globalRegistry.add(Role, { id: 'Role' });

export const SeverityCounts = z.object({
  CRITICAL: z.number().int(),
  HIGH: z.number().int(),
  MEDIUM: z.number().int(),
  LOW: z.number().int(),
  UNKNOWN: z.number().int(),
});
z.globalRegistry.add(SeverityCounts, { id: 'SeverityCounts' });

export const ResourceLink = z.object({ key: z.string(), type: z.string(), name: z.string() });
z.globalRegistry.add(ResourceLink, { id: 'ResourceLink' });

/** The error answers a route may give, by status; every route lists the ones it can reach. */
export const errors = {
  400: ApiError,
  401: ApiError,
  403: ApiError,
} as const;
export const notFound = { 404: ApiError } as const;

/** `?flag=true|false` in a query string. */
export const BoolQuery = z.enum(['true', 'false']).transform((v) => v === 'true');

/** A numeric path id. */
export const IdParams = z.object({ id: z.coerce.number().int().positive() });
