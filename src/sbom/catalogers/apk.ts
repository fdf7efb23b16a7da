import { type Cataloger, type Found, MiB } from '../types.js';

/** Alpine/Wolfi `lib/apk/db/installed`: P name, V version, A arch, o origin, L license. */
export const apk: Cataloger = {
  name: 'apk',
  kind: 'os',
  version: 1,
  type: 'apk',
  wants: (path) => (path === 'lib/apk/db/installed' ? { maxBytes: 64 * MiB } : undefined),
  parse(file) {
    const found: Found[] = [];
    let cur: Record<string, string> = {};
    const flush = () => {
      if (cur.P && cur.V)
        found.push({
          name: cur.P,
          version: cur.V,
          sourceName: cur.o || cur.P,
          sourceVersion: cur.V,
          ...(cur.L ? { licenses: [cur.L] } : {}),
          ...(cur.A ? { qualifiers: { arch: cur.A } } : {}),
        });
      cur = {};
    };
    for (const line of file.content.toString('utf8').split(/\r?\n/)) {
      if (line === '') flush();
      else if (line[1] === ':' && !(line[0]! in cur)) cur[line[0]!] = line.slice(2);
    }
    flush();
    return found;
  },
};
