import { z } from 'zod';

/**
 * The outside shapes the feeds accept, permissive: only what a record cannot do without is required, every
 * other field may be missing or odd (the feeds read them defensively). A record that fails is dropped and
 * counted, never stored.
 */
const text = z.string().min(1);
const list = z.array(z.unknown());

/** OSV (ossf.github.io/osv-schema): an id; affected entries, when present, name a package. */
export const OsvRecord = z.looseObject({
  id: text,
  aliases: list.optional().nullable(),
  affected: z
    .array(
      z.looseObject({ package: z.looseObject({ ecosystem: z.unknown(), name: z.unknown() }).optional() }),
    )
    .optional()
    .nullable(),
});

/** RustSec front matter: `[advisory]` with id and package. */
export const RustsecFrontMatter = z.looseObject({
  advisory: z.looseObject({ id: text, package: text }),
  versions: z.looseObject({ patched: list.optional(), unaffected: list.optional() }).optional(),
});

/** One secdb package: a name and its secfixes (fixed version → ids). */
export const SecdbPackage = z.looseObject({
  name: text,
  secfixes: z.record(z.string(), z.unknown()).optional().nullable(),
});

/** One CVE entry of the Debian tracker's JSON export. */
export const TrackerEntry = z.looseObject({
  description: z.unknown().optional(),
  releases: z.union([z.record(z.string(), z.unknown()), z.array(z.unknown())]),
});

/** A vuln-list-debian rendering. */
export const VulnListEntry = z.looseObject({
  Header: z.looseObject({ ID: text }),
  Annotations: z.array(z.unknown()),
});

/** A legacy npm (NSP) advisory. */
export const NspAdvisory = z.looseObject({
  id: z.union([z.number(), text]),
  module_name: text,
  vulnerable_versions: z.string().optional().nullable(),
  patched_versions: z.string().optional().nullable(),
});

/** The first issue of a failed parse, for the drop reason. */
export function issue(error: z.ZodError): string {
  const first = error.issues[0];
  return first ? `${first.path.join('.') || 'record'}: ${first.message}` : 'invalid';
}
