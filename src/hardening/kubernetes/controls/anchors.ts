import { readFileSync } from 'node:fs';
import { z } from 'zod';

const anchorsFile = z.object({
  source: z.string(),
  rows: z.record(z.string(), z.object({ scope: z.string(), anchors: z.array(z.string()) })),
});

let cache: z.infer<typeof anchorsFile>['rows'] | undefined;

/** Peer anchors of every catalogue row (`KS:C-0057`, `PO:runAsPrivileged`, `CIS:5.2.2`…), from data/anchors.json. */
export function catalogueAnchors(): Readonly<Record<string, { scope: string; anchors: string[] }>> {
  cache ??= anchorsFile.parse(
    JSON.parse(readFileSync(new URL('./data/anchors.json', import.meta.url), 'utf8')),
  ).rows;
  return cache;
}

/** Rows anchored to a peer check. @example rowsAnchoredTo('KS:C-0057') // ['K8S-POD-01'] */
export function rowsAnchoredTo(anchor: string): string[] {
  return Object.entries(catalogueAnchors())
    .filter(([, row]) => row.anchors.some((a) => a === anchor || a === `${anchor}(mutate)`))
    .map(([id]) => id);
}
