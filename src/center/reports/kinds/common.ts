import { z } from 'zod';
import { SEVERITIES } from '../../../core/severity.js';
import { ENGINES } from '../../types.js';

/** Parts every kind's schema shares. Unknown fields are accepted (and kept in the stored body). */
export const severity = z.enum(SEVERITIES);

export const origin = z
  .object({
    host: z.string().min(1).optional(),
    cluster: z.string().min(1).optional(),
    registry: z.string().min(1).optional(),
  })
  .optional();

export const engine = z.enum(ENGINES).optional();

export const complete = z.boolean().optional();
