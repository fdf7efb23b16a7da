/**
 * A constant table that code indexes with names taken from input (advisory sources, OS families and versions,
 * package types, VEX states). A plain object literal answers `__proto__`, `constructor` or `toString` with what it
 * inherits from Object.prototype, which then passes for an entry; the table made here has no prototype, so every
 * name it does not list reads as undefined. Nested tables are made the same way.
 */
export function lookupTable<T>(entries: Readonly<Record<string, T>>): Readonly<Record<string, T>> {
  const table: Record<string, T> = Object.create(null);
  for (const [key, value] of Object.entries(entries)) {
    table[key] =
      value !== null && typeof value === 'object' && !Array.isArray(value)
        ? (lookupTable(value as Record<string, unknown>) as T)
        : value;
  }
  return Object.freeze(table);
}
