import { z } from 'zod';
import type { SessionView } from '../../../../center/index.js';
import { User } from '../users/schema.js';

export const Session = z.object({
  user: User.nullable().describe('null when not logged in.'),
  csrfToken: z.string().optional().describe('Send it back in the x-csrf-token header on writes.'),
  expiresAt: z.string().optional(),
}) satisfies z.ZodType<SessionView>;
z.globalRegistry.add(Session, { id: 'Session' });

export const Login = z.object({ name: z.string().min(1).max(64), password: z.string().min(1).max(1024) });
z.globalRegistry.add(Login, { id: 'Login' });
