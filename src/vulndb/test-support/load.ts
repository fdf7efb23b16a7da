import { sniffFeed } from '../feeds/index.js';
import type { AdvisoryRecord, ExploitSignal } from '../model.js';
import { readSource } from '../reader.js';

/** Read files through the reader and their sniffed feed, without a database. */
export function loadRecords(paths: readonly string[]): {
  records: AdvisoryRecord[];
  signals: ExploitSignal[];
  feeds: string[];
  dropped: string[];
} {
  const records: AdvisoryRecord[] = [];
  const signals: ExploitSignal[] = [];
  const feeds: string[] = [];
  const dropped: string[] = [];
  for (const path of paths) {
    for (const item of readSource({ path, explicit: true })) {
      if (!('input' in item)) continue;
      const feed = sniffFeed(item.input);
      if (!feed && item.input.name.includes('!')) continue; // an archive's README
      if (!feed) throw new Error(`${path}: no feed sniffed`);
      feeds.push(feed.name);
      feed.import(item.input, {
        add: (r) => records.push(r),
        signal: (s) => signals.push(s),
        drop: (why) => dropped.push(why),
      });
    }
  }
  return { records, signals, feeds, dropped };
}
