import { z } from 'zod';
import type { IngestResult, ReportView } from '../../../../center/index.js';
import { pageOf, pageQuery } from '../../../pagination.js';
import { Engine } from '../control-results/schema.js';

export const Report = z.object({
  id: z.number().int(),
  kind: z.string(),
  engine: Engine,
  scope: z.string().nullable(),
  receivedAt: z.string(),
  pushedBy: z.string(),
  resources: z.number().int(),
  summary: z.record(z.string(), z.number()),
}) satisfies z.ZodType<ReportView>;
z.globalRegistry.add(Report, { id: 'Report' });

export const ReportPage = pageOf(Report);
z.globalRegistry.add(ReportPage, { id: 'ReportPage' });

export const ReportQuery = pageQuery(['id', 'receivedAt']);

/** A document as the CLI writes it (ImageScan, DockerBenchmark, KubernetesScan, RuntimeAlerts, inventories). */
export const ReportDocument = z
  .object({ schemaVersion: z.number(), kind: z.string() })
  .passthrough()
  .describe('A JSON document written by the CLI (`--format json`); the center checks the rest by its kind.');
z.globalRegistry.add(ReportDocument, { id: 'ReportDocument' });

export const Ingested = z.object({
  id: z.number().int(),
  kind: z.string(),
  resources: z.number().int().describe('Resources the report was filed under.'),
  duplicate: z.boolean().describe('The same document had been received before: nothing changed.'),
}) satisfies z.ZodType<IngestResult>;
z.globalRegistry.add(Ingested, { id: 'Ingested' });
