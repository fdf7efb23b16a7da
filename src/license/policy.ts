import parse from 'spdx-expression-parse';
import { z } from 'zod';
import { LICENSE_CATEGORIES, type LicenseCategory, licenseCategory } from './categories.js';

/** What a licence means for the image: fine, not allowed, or for a person to look at. */
export const LICENSE_CLASSIFICATIONS = ['allowed', 'review', 'denied'] as const;
export type LicenseClassification = (typeof LICENSE_CLASSIFICATIONS)[number];

/**
 * The licence policy (`licensePolicy` in `<home>/config.yaml`): SPDX ids or category names under each
 * classification. An id listed beats its category; what is listed nowhere follows DEFAULT_LICENSE_POLICY.
 * @example { denied: ['AGPL-3.0-only', 'forbidden'], allowed: ['MPL-2.0'] }
 */
export const LicensePolicy = z
  .object({
    allowed: z.array(z.string().min(1)).default([]),
    review: z.array(z.string().min(1)).default([]),
    denied: z.array(z.string().min(1)).default([]),
  })
  .strict();
export type LicensePolicy = z.infer<typeof LicensePolicy>;

/** Per category, when no policy says otherwise: as Trivy ranks them (forbidden fails, copyleft is looked at). */
export const DEFAULT_LICENSE_POLICY: Record<LicenseCategory, LicenseClassification> = {
  forbidden: 'denied',
  restricted: 'review',
  reciprocal: 'review',
  notice: 'allowed',
  permissive: 'allowed',
  unencumbered: 'allowed',
  unknown: 'review',
};

const RANK: Record<LicenseClassification, number> = { allowed: 0, review: 1, denied: 2 };
/** Between two licences of the same classification, the more encumbering category is reported. */
const STRICTNESS: Record<LicenseCategory, number> = {
  unencumbered: 0,
  permissive: 1,
  notice: 2,
  unknown: 3,
  reciprocal: 4,
  restricted: 5,
  forbidden: 6,
};

/**
 * One spelling per licence for policy look-ups: SPDX's deprecated GNU ids mean `-only` (`GPL-2.0` is
 * `GPL-2.0-only`), a trailing `+` means `-or-later`.
 * @example canonicalId('LGPL-2.1+') // 'lgpl-2.1-or-later'
 */
export function canonicalId(id: string): string {
  const key = id.trim().toLowerCase();
  if (key.endsWith('+')) return `${key.slice(0, -1)}-or-later`;
  if (/^(?:a|l)?gpl-\d\.\d$|^gfdl-\d\.\d$/.test(key)) return `${key}-only`;
  return key;
}

type Node = ReturnType<typeof parse>;

interface Verdict {
  classification: LicenseClassification;
  category: LicenseCategory;
}

/** Policy lookups: ids lower-cased, category names apart. */
function lookups(policy: LicensePolicy) {
  const ids = new Map<string, LicenseClassification>();
  const categories = new Map<string, LicenseClassification>();
  for (const c of LICENSE_CLASSIFICATIONS)
    for (const entry of policy[c]) {
      if ((LICENSE_CATEGORIES as readonly string[]).includes(entry)) categories.set(entry, c);
      else ids.set(canonicalId(entry), c);
    }
  return { ids, categories };
}

function leaf(id: string, l: ReturnType<typeof lookups>): Verdict {
  const category = licenseCategory(id);
  const classification =
    l.ids.get(canonicalId(id)) ?? l.categories.get(category) ?? DEFAULT_LICENSE_POLICY[category];
  return { classification, category };
}

function judge(node: Node, l: ReturnType<typeof lookups>): Verdict {
  if ('license' in node) return leaf(node.plus ? `${node.license}+` : node.license, l);
  const left = judge(node.left, l);
  const right = judge(node.right, l);
  // AND: every licence applies, the strictest decides; OR: the user may pick the most lenient
  const rank = (v: Verdict) => RANK[v.classification] * 10 + STRICTNESS[v.category];
  const stricter = rank(right) > rank(left) ? right : left;
  const lenient = stricter === right ? left : right;
  return node.conjunction === 'and' ? stricter : lenient;
}

/**
 * Classify a licence under `policy`: an SPDX expression leaf by leaf (AND takes the strictest, OR the most lenient);
 * text that is no SPDX expression is `unknown`.
 * @example classifyLicense('MIT OR GPL-3.0-only', { allowed: [], review: [], denied: [] }) // {classification: 'allowed', category: 'notice'}
 */
export function classifyLicense(expression: string, spdx: boolean, policy: LicensePolicy): Verdict {
  const l = lookups(policy);
  if (!spdx) return leaf(expression, l);
  return judge(parse(expression), l);
}
