import { z } from 'zod';
import {
  FAMILIES,
  HEALTH_STATES,
  type ResourceDetail as ResourceDetailType,
  type ResourceView,
} from '../../../../center/index.js';
import { pageOf, pageQuery } from '../../../pagination.js';
import { BoolQuery, ResourceLink, Severity, SeverityCounts } from '../../../schemas.js';
import { AlertPage } from '../alerts/schema.js';
import { ControlResultPage } from '../control-results/schema.js';
import { FindingPage } from '../findings/schema.js';

export const Family = z.enum(FAMILIES);
z.globalRegistry.add(Family, { id: 'Family' });
export const Health = z.enum(HEALTH_STATES);
z.globalRegistry.add(Health, { id: 'Health' });

export const ResultCounts = z.object({
  findings: SeverityCounts,
  controls: SeverityCounts,
  alerts: z.number().int(),
  unhealthyChildren: z.number().int(),
});
z.globalRegistry.add(ResultCounts, { id: 'ResultCounts' });

export const Resource = z.object({
  key: z.string().describe('e.g. `image:sha256:…`, `host:node-1`, `workload:prod/default/Deployment/web`.'),
  type: z.string(),
  name: z.string(),
  family: Family,
  health: Health,
  parent: z.string().optional(),
  image: z.string().optional().describe('The image resource a container, pod or workload runs.'),
  counts: ResultCounts,
  attributes: z.record(z.string(), z.unknown()),
  assessedAt: z.string().nullable(),
  firstSeen: z.string(),
  lastSeen: z.string(),
  removedAt: z.string().nullable(),
}) satisfies z.ZodType<ResourceView>;
z.globalRegistry.add(Resource, { id: 'Resource' });

export const ResourcePage = pageOf(Resource);
z.globalRegistry.add(ResourcePage, { id: 'ResourcePage' });

export const ResourceQuery = pageQuery(['key', 'name', 'type', 'health', 'lastSeen']).extend({
  family: Family.optional(),
  type: z.string().optional(),
  health: Health.optional(),
  parent: z.string().optional().describe('A resource key: its children.'),
  search: z.string().optional().describe('Substring of the name or key.'),
  removed: BoolQuery.optional().describe('Include resources a complete report no longer lists.'),
});

export const ResourceDetail = Resource.extend({
  recommendations: z.array(z.object({ id: z.string(), title: z.string(), severity: Severity })),
  children: z.array(z.object({ type: z.string(), total: z.number().int(), unhealthy: z.number().int() })),
  runningIn: z.array(ResourceLink).optional(),
  openFindings: z.number().int(),
  openControlResults: z.number().int(),
  openAlerts: z.number().int(),
  openResults: z
    .object({ findings: FindingPage, controlResults: ControlResultPage, alerts: AlertPage })
    .describe(
      'The most severe open results on the resource itself, a first page of each kind; `next` continues it in ' +
        '`/findings`, `/control-results` or `/alerts` with `resource=<key>` and the open states.',
    ),
}) satisfies z.ZodType<ResourceDetailType>;
z.globalRegistry.add(ResourceDetail, { id: 'ResourceDetail' });

export const ResourceParams = z.object({ key: z.string().min(1).describe('A resource key (URL-encoded).') });
