import { SEVERITIES, type Severity } from '../../core/severity.js';
import type { JsonMember } from '../../store/center-queries/json-projection.js';
import type { CenterResourceRow } from '../../store/center-queries/resources.js';
import { fromJsonColumn } from '../../store/json-column.js';
import type { Family, Health, ResourceView, ResultCounts } from '../types.js';

const zero = () => Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;

/** The counts column as written by ingest, completed so every severity is present. */
export function presentCounts(text: string): ResultCounts {
  const raw = fromJsonColumn<Partial<ResultCounts>>(text, {});
  return {
    findings: { ...zero(), ...(raw.findings ?? {}) },
    controls: { ...zero(), ...(raw.controls ?? {}) },
    alerts: Number(raw.alerts ?? 0),
    unhealthyChildren: Number(raw.unhealthyChildren ?? 0),
  };
}

export function presentResource(row: CenterResourceRow): ResourceView {
  return {
    key: row.key,
    type: row.type,
    name: row.name,
    family: row.family as Family,
    health: row.health as Health,
    ...(row.parent_key !== null ? { parent: row.parent_key } : {}),
    ...(row.image_key !== null ? { image: row.image_key } : {}),
    counts: presentCounts(row.counts),
    attributes: fromJsonColumn<Record<string, unknown>>(row.attributes, {}),
    assessedAt: row.assessed_at,
    firstSeen: row.first_seen,
    lastSeen: row.last_seen,
    removedAt: row.removed_at,
  };
}

/** presentResource as the database writes it (json-projection.ts): same members, same order, same omissions. */
export const RESOURCE_JSON: readonly JsonMember[] = [
  { key: 'key', value: { text: 'key' } },
  { key: 'type', value: { text: 'type' } },
  { key: 'name', value: { text: 'name' } },
  { key: 'family', value: { text: 'family' } },
  { key: 'health', value: { text: 'health' } },
  { key: 'parent', value: { text: 'parent_key' }, omitWhenNull: 'parent_key' },
  { key: 'image', value: { text: 'image_key' }, omitWhenNull: 'image_key' },
  {
    key: 'counts',
    value: {
      numbersOnto: 'counts',
      defaults: { findings: zero(), controls: zero(), alerts: 0, unhealthyChildren: 0 },
    },
  },
  { key: 'attributes', value: { json: 'attributes', fallback: '{}' } },
  { key: 'assessedAt', value: { text: 'assessed_at' } },
  { key: 'firstSeen', value: { text: 'first_seen' } },
  { key: 'lastSeen', value: { text: 'last_seen' } },
  { key: 'removedAt', value: { text: 'removed_at' } },
];
