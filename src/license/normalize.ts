import correct from 'spdx-correct';
import parse from 'spdx-expression-parse';

/** A package's declared licence, as SPDX says it when it can. */
export interface NormalizedLicense {
  /** An SPDX expression (`MIT`, `GPL-2.0-or-later AND MIT`), or the declared text when it is none. */
  expression: string;
  /** Whether `expression` is valid SPDX. */
  spdx: boolean;
}

function valid(expression: string): boolean {
  try {
    parse(expression);
    return true;
  } catch {
    return false;
  }
}

/** One licence name as an SPDX id (or expression), or undefined. Fedora's "with exceptions" says no exception id. */
function oneLicense(name: string): string | undefined {
  const text = name
    .trim()
    .replace(/^\((.*)\)$/, '$1')
    .replace(/\s+with exceptions?$/i, '')
    .trim();
  if (!text) return undefined;
  if (valid(text)) return text;
  // a space-separated list (Alpine's `MIT BSD GPL2+`): every word a licence, all of them apply; tried before the
  // whole text, which spdx-correct would bend into one of them
  const words = text.split(/\s+/);
  if (words.length > 1) {
    const ids = words.map((w) => (valid(w) ? w : correct(w, { upgrade: true })));
    if (ids.every((id): id is string => typeof id === 'string')) return ids.join(' AND ');
  }
  return correct(text, { upgrade: true }) ?? undefined;
}

/**
 * A declared licence as SPDX: a valid expression is kept; otherwise its parts (`and`/`or`/`,` lists such as RPM's
 * `GPLv2+ and LGPLv2+`) are corrected one by one with spdx-correct, the library npm uses for the same job.
 * @example normalizeLicense('GPLv2+ and LGPLv2+ with exceptions') // {expression: 'GPL-2.0-or-later AND LGPL-2.0-or-later', spdx: true}
 */
export function normalizeLicense(declared: string): NormalizedLicense | undefined {
  const text = declared.trim();
  if (!text) return undefined;
  if (valid(text)) return { expression: text, spdx: true };
  const parts = text.split(/\s+(and|or|&)\s+|\s*[,;]\s*/i);
  const out: string[] = [];
  for (let i = 0; i < parts.length; i += 2) {
    const id = oneLicense(parts[i] ?? '');
    if (!id) return { expression: text, spdx: false };
    const op = i > 0 ? (parts[i - 1]?.toLowerCase() === 'or' ? 'OR' : 'AND') : undefined;
    const wrapped = /\s(?:AND|OR)\s/.test(id) && parts.length > 1 ? `(${id})` : id;
    out.push(op ? `${op} ${wrapped}` : wrapped);
  }
  const expression = out.join(' ');
  return valid(expression) ? { expression, spdx: true } : { expression: text, spdx: false };
}
