import { parseDuration } from '../../conditions.js';

/** An instant with the UTC offset it was written with (Go's time.Time keeps its location). */
export interface Instant {
  readonly ms: number;
  readonly offsetMinutes: number;
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** An RFC 3339 timestamp, or undefined. */
export function parseRfc3339(text: string): Instant | undefined {
  const m = RFC3339.exec(text);
  if (!m) return undefined;
  const offsetMinutes = offsetOf(m[8]!);
  const local = Date.UTC(
    +m[1]!,
    +m[2]! - 1,
    +m[3]!,
    +m[4]!,
    +m[5]!,
    +m[6]!,
    Math.floor(Number(`0${m[7] ?? ''}`) * 1000),
  );
  return { ms: local - offsetMinutes * 60_000, offsetMinutes };
}

function offsetOf(zone: string): number {
  if (zone === 'Z' || zone === 'z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const [h, m] = zone.slice(1).split(':');
  return sign * (Number(h) * 60 + Number(m ?? 0));
}

const pad = (n: number, width = 2) => String(Math.abs(n)).padStart(width, '0');

/** Go's time.RFC3339 layout: whole seconds, `Z` for UTC, otherwise the offset. */
export function formatRfc3339(t: Instant): string {
  const d = new Date(t.ms + t.offsetMinutes * 60_000);
  const date = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  const o = t.offsetMinutes;
  const zone = o === 0 ? 'Z' : `${o < 0 ? '-' : '+'}${pad(Math.trunc(o / 60))}:${pad(o % 60)}`;
  return `${date}T${time}${zone}`;
}

/** A Go duration string in milliseconds, or undefined. */
export function durationMs(text: string): number | undefined {
  const seconds = parseDuration(text);
  return seconds === undefined ? undefined : seconds * 1000;
}

/** Go's Duration.String(): `1h2m3s`, `1.5s`, `300ms`, `0s`. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  const sign = ms < 0 ? '-' : '';
  const abs = Math.abs(ms);
  if (abs < 1000) {
    const ns = Math.round(abs * 1e6);
    if (ns < 1000) return `${sign}${ns}ns`;
    if (ns < 1e6) return `${sign}${trim(ns / 1000)}µs`;
    return `${sign}${trim(ns / 1e6)}ms`;
  }
  const h = Math.floor(abs / 3_600_000);
  const m = Math.floor((abs % 3_600_000) / 60_000);
  const s = trim((abs % 60_000) / 1000);
  if (h > 0) return `${sign}${h}h${m}m${s}s`;
  if (m > 0) return `${sign}${m}m${s}s`;
  return `${sign}${s}s`;
}

const trim = (n: number) => String(Number(n.toFixed(9)));

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** Go reference-time layout elements, longest first, as a pattern and the field each one sets. */
const ELEMENTS: readonly [string, string, string?][] = [
  ['January', `(${MONTHS.join('|')})`, 'monthName'],
  ['Monday', `(?:${DAYS.join('|')})`],
  ['Jan', `(${MONTHS.map((m) => m.slice(0, 3)).join('|')})`, 'monthName'],
  ['Mon', `(?:${DAYS.map((d) => d.slice(0, 3)).join('|')})`],
  ['2006', '(\\d{4})', 'year'],
  ['Z07:00', '(Z|[+-]\\d{2}:\\d{2})', 'zone'],
  ['-07:00', '([+-]\\d{2}:\\d{2})', 'zone'],
  ['Z0700', '(Z|[+-]\\d{4})', 'zone'],
  ['-0700', '([+-]\\d{4})', 'zone'],
  ['MST', '([A-Z]{3,4})', 'abbrev'],
  ['-07', '([+-]\\d{2})', 'zone'],
  ['.000000000', '(\\.\\d{9})', 'fraction'],
  ['.999999999', '(\\.\\d+)?', 'fraction'],
  ['.000000', '(\\.\\d{6})', 'fraction'],
  ['.999999', '(\\.\\d+)?', 'fraction'],
  ['.000', '(\\.\\d{3})', 'fraction'],
  ['.999', '(\\.\\d+)?', 'fraction'],
  ['01', '(\\d{2})', 'month'],
  ['02', '(\\d{2})', 'day'],
  ['_2', '( ?\\d{1,2})', 'day'],
  ['03', '(\\d{2})', 'hour12'],
  ['04', '(\\d{2})', 'minute'],
  ['05', '(\\d{2})', 'second'],
  ['06', '(\\d{2})', 'year2'],
  ['15', '(\\d{2})', 'hour'],
  ['PM', '(AM|PM)', 'ampm'],
  ['pm', '(am|pm)', 'ampm'],
  ['1', '(\\d{1,2})', 'month'],
  ['2', '(\\d{1,2})', 'day'],
  ['3', '(\\d{1,2})', 'hour12'],
  ['4', '(\\d{1,2})', 'minute'],
  ['5', '(\\d{1,2})', 'second'],
];

/**
 * Parse `text` laid out as Go's reference time `layout` (`2006-01-02T15:04:05Z07:00`); a time without a zone is
 * UTC, as in Go's time.Parse. Undefined when the text does not fit the layout.
 */
export function parseGoLayout(layout: string, text: string): Instant | undefined {
  const fields: string[] = [];
  let pattern = '';
  for (let i = 0; i < layout.length; ) {
    const element = ELEMENTS.find(([token]) => layout.startsWith(token, i));
    if (element) {
      pattern += element[1];
      if (element[2]) fields.push(element[2]);
      i += element[0].length;
    } else {
      pattern += layout[i]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      i++;
    }
  }
  const m = new RegExp(`^${pattern}$`).exec(text);
  if (!m) return undefined;
  const got: Record<string, string> = {};
  fields.forEach((f, k) => {
    if (m[k + 1] !== undefined) got[f] = m[k + 1]!;
  });
  const year = got.year
    ? Number(got.year)
    : got.year2
      ? 2000 + Number(got.year2) - (Number(got.year2) >= 69 ? 100 : 0)
      : 0;
  const month = got.month
    ? Number(got.month)
    : got.monthName
      ? MONTHS.findIndex((n) => n.startsWith(got.monthName!)) + 1
      : 1;
  let hour = Number(got.hour ?? got.hour12 ?? 0);
  if (got.ampm?.toUpperCase() === 'PM' && hour < 12) hour += 12;
  if (got.ampm?.toUpperCase() === 'AM' && hour === 12) hour = 0;
  const offsetMinutes = got.zone
    ? offsetOf(
        got.zone.length === 5 && !got.zone.includes(':')
          ? `${got.zone.slice(0, 3)}:${got.zone.slice(3)}`
          : got.zone,
      )
    : 0;
  const local = Date.UTC(
    year,
    month - 1,
    Number((got.day ?? '1').trim()),
    hour,
    Number(got.minute ?? 0),
    Number(got.second ?? 0),
    Math.floor(Number(`0${got.fraction ?? ''}`) * 1000),
  );
  return { ms: local - offsetMinutes * 60_000, offsetMinutes };
}
