import { parse as parseToml } from 'smol-toml';
import type { AdvisoryState, SeverityEntry } from '../model.js';
import { isoOrNull, uniq } from '../model.js';
import { cvssEntry, isRecord, str, strings } from './common.js';
import { issue, RustsecFrontMatter } from './schema.js';
import type { Feed, FeedInput, FeedSink } from './types.js';

const FRONT_MATTER = /^\s*```toml\s*\n([\s\S]*?)\n```/;
/** The id of RustSec's advisory template (EXAMPLE_ADVISORY.md), not an advisory. */
const PLACEHOLDER = 'RUSTSEC-0000-0000';

/** Lowest version a Cargo requirement admits (`>= 1.2.3, < 2` → 1.2.3), for the fixed version. */
function lowerBound(req: string): string | undefined {
  return /(?:>=|\^|~|=)?\s*(\d+(?:\.\d+){0,2}(?:-[0-9A-Za-z.-]+)?)/.exec(req)?.[1];
}

/** RustSec advisory-db Markdown: a TOML front matter block, then the title and description. */
export const rustsec = {
  name: 'rustsec',
  description: 'RustSec advisory-db Markdown files (TOML front matter)',
  sniff(input: FeedInput): boolean {
    return (
      input.kind === 'text' &&
      FRONT_MATTER.test(input.text.slice(0, 20_000)) &&
      /\[advisory\]/.test(input.text)
    );
  },
  import(input: FeedInput, sink: FeedSink): void {
    const m = FRONT_MATTER.exec(input.text);
    let doc: Record<string, unknown>;
    try {
      doc = parseToml(m?.[1] ?? '') as Record<string, unknown>;
    } catch (error) {
      throw new SyntaxError(`malformed TOML front matter: ${(error as Error).message.split('\n')[0]}`);
    }
    const checked = RustsecFrontMatter.safeParse(doc);
    if (!checked.success) {
      sink.drop(`RustSec front matter: ${issue(checked.error)}`);
      return;
    }
    const adv = doc.advisory as Record<string, unknown>;
    const id = str(adv.id)!;
    const crate = str(adv.package)!;
    if (id === PLACEHOLDER) {
      sink.drop(`${PLACEHOLDER} is the template's placeholder id`);
      return;
    }
    const versions = isRecord(doc.versions) ? doc.versions : {};
    const patched = strings(versions.patched);
    const unaffected = strings(versions.unaffected);
    const withdrawn = isoOrNull(adv.withdrawn);
    const informational = str(adv.informational);
    const cvss = str(adv.cvss);
    const severity: SeverityEntry[] = cvss ? [cvssEntry('rustsec', cvss)] : [];
    const fixed = patched.map(lowerBound).find((v) => v !== undefined) ?? null;
    const state: AdvisoryState = withdrawn ? 'withdrawn' : patched.length ? 'fixed' : 'affected';
    const body = input.text.slice(m?.[0].length ?? 0).trim();
    const title = /^#\s+(.+)$/m.exec(body)?.[1]?.trim() ?? null;
    sink.add({
      source: 'rustsec',
      format: 'rustsec',
      id,
      aliases: uniq(strings(adv.aliases)),
      title,
      severity,
      references: uniq([str(adv.url), ...strings(adv.references)]),
      published: isoOrNull(adv.date),
      modified: null,
      withdrawn,
      affected: [
        {
          namespace: 'cargo',
          package: crate,
          state,
          reason: informational ? `informational: ${informational}` : null,
          ranges: [{ type: 'REQUIREMENTS', unaffected: [...patched, ...unaffected] }],
          versions: [],
          fixedVersion: fixed,
          severity: [],
        },
      ],
      extra: {
        ...(informational ? { informational } : {}),
        ...(isRecord(doc.affected) ? { affected: doc.affected } : {}),
        categories: strings(adv.categories),
      },
    });
  },
} satisfies Feed;
