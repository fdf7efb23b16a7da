/**
 * Bulk writes in slices: SQLite refuses a statement with more than 32,766 bound values and PostgreSQL more than
 * 65,535, so long lists of rows or ids are written a slice at a time (inside the caller's transaction).
 */
const MAX_VALUES = 10_000;

/** Ids or keys per `IN (…)` list. */
export const IN_CHUNK = 1_000;

export function chunked<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Insert `rows` through `insert`, as many per statement as the bound-value limit allows. */
export async function insertChunks<T extends object>(
  rows: readonly T[],
  insert: (chunk: T[]) => Promise<unknown>,
): Promise<void> {
  if (rows.length === 0) return;
  const columns = Math.max(1, Object.keys(rows[0]!).length);
  for (const chunk of chunked(rows, Math.max(1, Math.floor(MAX_VALUES / columns)))) await insert(chunk);
}
