import type { Feed } from './feeds/types.js';
import type { AdvisoryRecord } from './model.js';
import { listSources, readSource } from './reader.js';

/**
 * The records one feed reads from files and folders (walked as `db import` walks them), without a database:
 * inputs the feed does not recognise are passed over. Peer conformance suites and tests import a provider's
 * folder with it.
 */
export function recordsFromFiles(feed: Feed, paths: readonly string[]): AdvisoryRecord[] {
  const records: AdvisoryRecord[] = [];
  const sink = { add: (r: AdvisoryRecord) => records.push(r), signal: () => {}, drop: () => {} };
  for (const file of listSources(paths)) {
    for (const item of readSource({ ...file, explicit: false })) {
      if ('input' in item && feed.sniff(item.input)) feed.import(item.input, sink);
    }
  }
  return records;
}
