/**
 * Where a person reads about a finding: the source's own advisory page, then the NVD and GitHub pages of the CVE and
 * GHSA ids it is known by. Built from ids (stable pages), plus the record's references that name the id.
 */
const PAGES: readonly [RegExp, (id: string) => string][] = [
  [/^CVE-\d+-\d+$/, (id) => `https://nvd.nist.gov/vuln/detail/${id}`],
  [/^GHSA(-[23456789cfghjmpqrvwx]{4}){3}$/, (id) => `https://github.com/advisories/${id}`],
  [/^GO-\d+-\d+$/, (id) => `https://pkg.go.dev/vuln/${id}`],
  [/^RUSTSEC-\d+-\d+$/, (id) => `https://rustsec.org/advisories/${id}.html`],
  [/^(DSA|DLA)-\d+(-\d+)?$/, (id) => `https://security-tracker.debian.org/tracker/${id}`],
  [/^(PYSEC|OSV|GSD|MAL)-/, (id) => `https://osv.dev/vulnerability/${id}`],
];

function pageOf(id: string): string | undefined {
  for (const [pattern, page] of PAGES) if (pattern.test(id)) return page(id);
  return undefined;
}

/** Links for a finding: its own id's page and the source's reference naming it first, then its aliases' pages. */
export function findingLinks(
  id: string,
  aliases: readonly string[],
  references: readonly string[],
): string[] {
  const links = new Set<string>();
  const own = pageOf(id);
  if (own) links.add(own);
  const named = references.find((r) => /^https?:\/\//.test(r) && r.includes(id));
  if (named) links.add(named);
  for (const alias of aliases) {
    if (!/^(CVE|GHSA)-/.test(alias)) continue;
    const page = pageOf(alias);
    if (page) links.add(page);
  }
  if (links.size === 0) {
    const first = references.find((r) => /^https?:\/\//.test(r));
    if (first) links.add(first);
  }
  return [...links];
}
