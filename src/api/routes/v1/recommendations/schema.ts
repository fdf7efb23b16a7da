import { z } from 'zod';
import type {
  RecommendationDetail as RecommendationDetailType,
  RecommendationView,
} from '../../../../center/index.js';
import { pageOf, pageQuery } from '../../../pagination.js';
import { BoolQuery, Severity } from '../../../schemas.js';

export const Recommendation = z.object({
  id: z.string(),
  title: z.string(),
  severity: Severity,
  kind: z.enum(['control', 'vulnerabilities']),
  group: z.string(),
  standards: z.array(z.string()),
  description: z.string(),
  remediation: z.string(),
  unhealthy: z.number().int().describe('Resources failing it.'),
  healthy: z.number().int(),
  notApplicable: z.number().int(),
  active: z.boolean().describe('At least one unhealthy resource.'),
}) satisfies z.ZodType<RecommendationView>;
z.globalRegistry.add(Recommendation, { id: 'Recommendation' });

export const RecommendationPage = pageOf(Recommendation);
z.globalRegistry.add(RecommendationPage, { id: 'RecommendationPage' });

export const RecommendationQuery = pageQuery(['id', 'severity', 'unhealthy']).extend({
  active: BoolQuery.optional(),
  severity: z.string().optional().describe('A severity, or a comma-separated list.'),
  group: z.string().optional(),
});

export const RecommendationDetail = Recommendation.extend({
  resources: z.array(
    z.object({
      key: z.string(),
      type: z.string(),
      name: z.string(),
      health: z.enum(['unhealthy', 'healthy', 'not_applicable']),
    }),
  ),
}) satisfies z.ZodType<RecommendationDetailType>;
z.globalRegistry.add(RecommendationDetail, { id: 'RecommendationDetail' });

export const RecommendationParams = z.object({ id: z.string().min(1) });
