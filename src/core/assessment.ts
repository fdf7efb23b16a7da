/**
 * What every ingestible document says about itself besides the envelope: which engine made it, the scope it is
 * about, what it looked at and whether it covered the whole scope. The center files reports by these.
 */

/** The engines whose documents the center ingests. */
export const ENGINES = [
  'image-scan',
  'docker-benchmark',
  'kubernetes-benchmark',
  'k8s-scan',
  'admission-audit',
  'runtime',
] as const;
export type EngineName = (typeof ENGINES)[number];

/** The scope a document is about: a Docker host, a cluster, a registry. */
export interface Origin {
  host?: string;
  cluster?: string;
  registry?: string;
}

/**
 * The common part of an ingestible document. `complete` is true only when the report covered its whole scope
 * (every control, no excluded container, no namespace filter), so that the center may retire what it no longer
 * lists; a partial report only adds.
 */
export interface AssessmentHead<A> {
  engine: EngineName;
  origin: Origin;
  complete: boolean;
  /** Each resource looked at, passing or not. */
  assessed: A[];
}

/** Drops the keys whose value is undefined, so that optional fields stay absent in JSON and in comparisons. */
export function definedOnly<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
