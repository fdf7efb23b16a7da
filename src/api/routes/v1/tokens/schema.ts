import { z } from 'zod';
import type { TokenView } from '../../../../center/index.js';
import { pageOf, pageQuery } from '../../../pagination.js';
import { BoolQuery, Role } from '../../../schemas.js';

export const Token = z.object({
  id: z.number().int(),
  name: z.string(),
  prefix: z.string().describe('The visible part of the token: `bh_<prefix>_…`.'),
  role: Role,
  scope: z.string().nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
}) satisfies z.ZodType<TokenView>;
z.globalRegistry.add(Token, { id: 'Token' });

export const TokenPage = pageOf(Token);
z.globalRegistry.add(TokenPage, { id: 'TokenPage' });

export const TokenQuery = pageQuery(['id']).extend({
  revoked: BoolQuery.optional().describe('Include revoked tokens.'),
});

export const NewToken = z.object({
  name: z.string().min(1).max(200),
  role: Role,
  scope: z
    .string()
    .regex(/^(host|cluster|registry):\S+$/)
    .optional()
    .describe('The one host, cluster or registry an agent token may report about.'),
  expires: z.string().optional().describe('YYYY-MM-DD or an ISO date-time, in the future.'),
});
z.globalRegistry.add(NewToken, { id: 'NewToken' });

export const CreatedToken = Token.extend({
  token: z.string().describe('The token itself: shown this once, never stored.'),
});
z.globalRegistry.add(CreatedToken, { id: 'CreatedToken' });

export const TokenParams = z.object({ id: z.string().min(1).describe('The token id or its prefix.') });
