import { z } from 'zod';
import type { PackageUse as PackageUseType } from '../../../../center/index.js';
import { pageOf, pageQuery } from '../../../pagination.js';
import { ResourceLink } from '../../../schemas.js';

export const PackageUse = z.object({
  image: z.string().describe('The image resource key holding the package.'),
  name: z.string(),
  version: z.string(),
  purl: z.string(),
  runningIn: z.array(ResourceLink),
}) satisfies z.ZodType<PackageUseType>;
z.globalRegistry.add(PackageUse, { id: 'PackageUse' });

export const PackageUsePage = pageOf(PackageUse);
z.globalRegistry.add(PackageUsePage, { id: 'PackageUsePage' });

export const PackageQuery = pageQuery(['name', 'image']).extend({
  // one of name and purl is required (400 without either): OpenAPI cannot say "one of" for query parameters
  name: z.string().optional().describe('A package name; this or `purl` is required.'),
  version: z.string().optional(),
  purl: z.string().optional().describe('A package URL; this or `name` is required.'),
});
