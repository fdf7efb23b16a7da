import { z } from 'zod';
import type { UserPatch as UserPatchType, UserView } from '../../../../center/index.js';
import { pageOf, pageQuery } from '../../../pagination.js';
import { Role } from '../../../schemas.js';

export const User = z.object({
  id: z.number().int(),
  name: z.string(),
  role: Role,
  createdAt: z.string(),
  updatedAt: z.string(),
}) satisfies z.ZodType<UserView>;
z.globalRegistry.add(User, { id: 'User' });

export const UserPage = pageOf(User);
z.globalRegistry.add(UserPage, { id: 'UserPage' });

export const UserQuery = pageQuery(['id']);

export const NewUser = z.object({
  name: z.string().min(1).max(64),
  role: Role,
  password: z.string().min(8).max(1024),
});
z.globalRegistry.add(NewUser, { id: 'NewUser' });

export const UserPatch = z
  .object({ role: Role.optional(), password: z.string().min(8).max(1024).optional() })
  .strict() satisfies z.ZodType<UserPatchType>;
z.globalRegistry.add(UserPatch, { id: 'UserPatch' });
