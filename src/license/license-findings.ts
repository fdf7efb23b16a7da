import { compareText } from '../core/collate.js';
import type { Package } from '../sbom/types.js';
import type { LicenseCategory } from './categories.js';
import { normalizeLicense } from './normalize.js';
import { classifyLicense, type LicenseClassification, type LicensePolicy } from './policy.js';

/** One package's licence under the policy: the ImageScan `licenses` entry (CONTRACTS.md, docs/documents.md). */
export interface LicenseFinding {
  /** The package's name. */
  package: string;
  version: string;
  type: string;
  purl: string;
  /** Where the package was found, with a leading slash. */
  path?: string;
  /** SPDX expression, or the declared text when it is none (then `category` is `unknown`). */
  license: string;
  category: LicenseCategory;
  classification: LicenseClassification;
}

const RANK: Record<LicenseClassification, number> = { denied: 0, review: 1, allowed: 2 };

/**
 * The licences of the packages that declare one (a package may declare several: one entry each), denied first,
 * then for review, then allowed; by package within each.
 */
export function licenseFindings(packages: readonly Package[], policy: LicensePolicy): LicenseFinding[] {
  const out: LicenseFinding[] = [];
  for (const p of packages)
    for (const declared of new Set(p.licenses ?? [])) {
      const n = normalizeLicense(declared);
      if (!n) continue;
      out.push({
        package: p.name,
        version: p.version,
        type: p.type,
        purl: p.purl,
        ...(p.path ? { path: p.path } : {}),
        license: n.expression,
        ...classifyLicense(n.expression, n.spdx, policy),
      });
    }
  return out.sort(
    (a, b) =>
      RANK[a.classification] - RANK[b.classification] ||
      compareText(a.package, b.package) ||
      compareText(a.version, b.version) ||
      compareText(a.license, b.license),
  );
}
