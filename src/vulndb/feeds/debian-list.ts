import type { AdvisoryRecord, AffectedPackage } from '../model.js';
import { isoOrNull, uniq } from '../model.js';
import { debianNamespace } from '../namespaces.js';
import { debianState, sourceForId } from './common.js';
import type { Feed, FeedInput, FeedSink } from './types.js';

const HEADER = /^\[(\d{1,2}) (\w{3}) (\d{4})\] ((?:DSA|DLA|DTSA)-[\w-]+)\s*(.*)$/;
const RELEASE_LINE = /^\[([a-z-]+)\]\s+-\s+(\S+)\s+(.+?)\s*$/;

function affected(release: string, pkg: string, rest: string): AffectedPackage | undefined {
  const namespace = debianNamespace(release);
  if (!namespace) return undefined;
  const tag = /^<([a-z-]+)>\s*(?:\((.*)\))?/.exec(rest);
  if (tag) {
    const s = debianState(tag[1]!);
    if (!s) return undefined;
    const ranges =
      s.state === 'not_affected' ? [] : [{ type: 'ECOSYSTEM' as const, events: [{ introduced: '0' }] }];
    return {
      namespace,
      package: pkg,
      state: s.state,
      reason: tag[2] ?? s.reason ?? null,
      ranges,
      versions: [],
      fixedVersion: null,
      severity: [],
    };
  }
  const version = rest.split(/\s+/)[0]!;
  return {
    namespace,
    package: pkg,
    state: 'fixed',
    reason: null,
    ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: version }] }],
    versions: [],
    fixedVersion: version,
    severity: [],
  };
}

/** The Debian security tracker's `data/DSA/list` and `data/DLA/list`: one block per advisory. */
export const debianList = {
  name: 'debian-list',
  description: 'Debian security tracker DSA/DLA list text (data/DSA/list, data/DLA/list)',
  sniff(input: FeedInput): boolean {
    if (input.kind !== 'text') return false;
    const first = input.text
      .slice(0, 2000)
      .split('\n')
      .find((l) => l.trim() !== '');
    return first !== undefined && HEADER.test(first.trim());
  },
  import(input: FeedInput, sink: FeedSink): void {
    let current: AdvisoryRecord | undefined;
    const flush = () => {
      if (current) sink.add(current);
      current = undefined;
    };
    for (const raw of input.text.split('\n')) {
      const line = raw.trim();
      if (line === '') continue;
      const header = HEADER.exec(line);
      if (header && !/^\s/.test(raw)) {
        flush();
        const [, day, month, year, id, rest] = header;
        current = {
          source: sourceForId(id!),
          format: 'debian-list',
          id: id!,
          aliases: [],
          title: rest?.trim() || null,
          severity: [],
          references: [],
          published: isoOrNull(`${day} ${month} ${year} 00:00:00 UTC`),
          modified: null,
          withdrawn: null,
          affected: [],
        };
        continue;
      }
      if (!current) {
        sink.drop(`line outside any advisory: ${line.slice(0, 60)}`);
        continue;
      }
      if (line.startsWith('{')) {
        current.aliases = uniq([...current.aliases, ...line.replace(/[{}]/g, ' ').split(/\s+/)]);
        continue;
      }
      const rel = RELEASE_LINE.exec(line);
      if (rel) {
        const a = affected(rel[1]!, rel[2]!, rel[3]!);
        if (a) {
          const same = current.affected.findIndex(
            (x) => x.namespace === a.namespace && x.package === a.package,
          );
          if (same >= 0) current.affected[same] = a;
          else current.affected.push(a);
        }
        continue;
      }
      if (line.startsWith('NOTE:')) {
        const notes = (current.extra?.notes as string[] | undefined) ?? [];
        current.extra = { ...current.extra, notes: [...notes, line.slice(5).trim()] };
      }
    }
    flush();
  },
} satisfies Feed;
