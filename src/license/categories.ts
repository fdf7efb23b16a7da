import { readFileSync } from 'node:fs';
import { z } from 'zod';

/**
 * Trivy's licence categories (after Google's licenseclassifier), from most to least encumbering; `unknown` for an id
 * in none of them or a licence that is no SPDX id.
 */
export const LICENSE_CATEGORIES = [
  'forbidden',
  'restricted',
  'reciprocal',
  'notice',
  'permissive',
  'unencumbered',
  'unknown',
] as const;
export type LicenseCategory = (typeof LICENSE_CATEGORIES)[number];

const CategoryTable = z
  .object({
    source: z.string(),
    categories: z.record(z.enum(LICENSE_CATEGORIES).exclude(['unknown']), z.array(z.string().min(1))),
  })
  .strict();

let byId: Map<string, LicenseCategory> | undefined;

/** data/license-categories.json as id → category, checked when first read. */
function table(): Map<string, LicenseCategory> {
  if (byId) return byId;
  const data = CategoryTable.parse(
    JSON.parse(readFileSync(new URL('./data/license-categories.json', import.meta.url), 'utf8')),
  );
  byId = new Map();
  for (const [category, ids] of Object.entries(data.categories))
    for (const id of ids) byId.set(id.toLowerCase(), category as LicenseCategory);
  return byId;
}

/**
 * The category of one SPDX licence id; `-only`, `-or-later` and `+` fall back on the version's own entry.
 * @example licenseCategory('GPL-2.0-or-later') // 'restricted'
 */
export function licenseCategory(id: string): LicenseCategory {
  const t = table();
  const key = id.toLowerCase();
  return t.get(key) ?? t.get(key.replace(/(?:-only|-or-later|\+)$/, '')) ?? 'unknown';
}
