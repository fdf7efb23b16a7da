import type { z } from 'zod';
import { CenterError } from '../errors.js';
import type { Engine } from '../types.js';
import type { FilingContext } from './filing.js';

/**
 * One document kind the center files (kinds/<kind>.ts, listed in kinds/index.ts). `schema` is permissive on
 * fields the center does not use and strict on those it does; `scope` names the registry, host or cluster the
 * report is about (an agent's token is checked against it); `apply` files it inside the ingest's transaction.
 */
export interface ReportKind<D> {
  kind: string;
  schema: z.ZodType<D>;
  engine(doc: D): Engine;
  scope(doc: D): string;
  apply(doc: D, ctx: FilingContext): Promise<void>;
}

/** A report that cannot be filed, naming the field. */
export function invalidReport(path: string, what: string): CenterError {
  return new CenterError('BULKHEAD_ERR_REPORT_INVALID', `report invalid at ${path}: ${what}`);
}

/** Erases the document type so that kinds of different documents share one list. */
export function defineKind<D>(kind: ReportKind<D>): ReportKind<unknown> {
  return kind as unknown as ReportKind<unknown>;
}
