/** Bulkhead's own name and version, as every JSON document carries them. Kept equal to package.json by a test. */
export const TOOL = { name: 'bulkhead', version: '0.1.0' } as const;

/** The schema version of every document that leaves the process. */
export const SCHEMA_VERSION = 1;
