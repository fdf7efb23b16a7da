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
  name: z.string().optional(),
  version: z.string().optional(),
  purl: z.string().optional(),
});
