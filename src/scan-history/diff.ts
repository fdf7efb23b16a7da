import { compareNatural, compareText } from '../core/collate.js';
import { compareSeverity } from '../core/severity.js';
import type { ScanItem } from './stored-scan.js';

/** A result in both scans whose status changed (a warning that became a failure). */
export interface ChangedItem extends ScanItem {
  was: string;
}

export interface ScanItemDiff {
  /** In the second scan only. */
  new: ScanItem[];
  /** In the first scan only. */
  resolved: ScanItem[];
  /** In both, with another status. */
  changed: ChangedItem[];
  /** In both, same status. */
  unchanged: ScanItem[];
}

/** Most severe first, then by resource, id and subject: the order every list of the diff is shown in. */
export function compareItems(a: ScanItem, b: ScanItem): number {
  return (
    compareSeverity(a.severity, b.severity) ||
    compareText(a.resource, b.resource) ||
    compareNatural(a.id, b.id) ||
    compareText(a.subject, b.subject)
  );
}

function byKey(items: readonly ScanItem[]): Map<string, ScanItem[]> {
  const out = new Map<string, ScanItem[]>();
  for (const item of items) {
    const list = out.get(item.key);
    if (list) list.push(item);
    else out.set(item.key, [item]);
  }
  return out;
}

/**
 * Compare the results of two scans by identity (`key`): what is new in `to`, resolved since `from`, changed status
 * or unchanged. A key held n times by one side and m times by the other pairs min(n, m) of them.
 */
export function diffItems(from: readonly ScanItem[], to: readonly ScanItem[]): ScanItemDiff {
  const before = byKey(from);
  const out: ScanItemDiff = { new: [], resolved: [], changed: [], unchanged: [] };
  for (const [key, now] of byKey(to)) {
    const was = before.get(key) ?? [];
    now.forEach((item, i) => {
      const old = was[i];
      if (!old) out.new.push(item);
      else if (old.status !== item.status) out.changed.push({ ...item, was: old.status });
      else out.unchanged.push(item);
    });
    out.resolved.push(...was.slice(now.length));
    before.delete(key);
  }
  for (const was of before.values()) out.resolved.push(...was);
  for (const list of Object.values(out)) list.sort(compareItems);
  return out;
}
