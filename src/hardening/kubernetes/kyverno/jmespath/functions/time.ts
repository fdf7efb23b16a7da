import { TYPE_STRING } from '@jmespath-community/jmespath';
import {
  durationMs,
  formatDuration,
  formatRfc3339,
  type Instant,
  parseGoLayout,
  parseRfc3339,
} from './go-time.js';
import { fail, type KyvernoFunction } from './types.js';

const S = { types: [TYPE_STRING] };

function instant(name: string, text: unknown): Instant {
  return parseRfc3339(text as string) ?? fail(name, `"${text as string}" is not an RFC 3339 time`);
}

function duration(name: string, text: unknown): number {
  return durationMs(text as string) ?? fail(name, `"${text as string}" is not a duration`);
}

const now = (): Instant => ({ ms: Date.now(), offsetMinutes: -new Date().getTimezoneOffset() });

/** Kyverno's time extensions: RFC 3339 times, Go durations and Go layouts. */
export const TIME_FUNCTIONS: readonly KyvernoFunction[] = [
  { name: 'time_now', signature: [], call: () => formatRfc3339(now()) },
  { name: 'time_now_utc', signature: [], call: () => formatRfc3339({ ms: Date.now(), offsetMinutes: 0 }) },
  {
    name: 'time_utc',
    signature: [S],
    call: ([t]) => formatRfc3339({ ms: instant('time_utc', t).ms, offsetMinutes: 0 }),
  },
  {
    name: 'time_parse',
    signature: [S, S],
    call: ([layout, t]) =>
      formatRfc3339(
        parseGoLayout(layout as string, t as string) ??
          fail('time_parse', `"${t as string}" does not fit layout "${layout as string}"`),
      ),
  },
  {
    name: 'time_add',
    signature: [S, S],
    call: ([t, d]) => {
      const at = instant('time_add', t);
      return formatRfc3339({ ms: at.ms + duration('time_add', d), offsetMinutes: at.offsetMinutes });
    },
  },
  {
    name: 'time_diff',
    signature: [S, S],
    call: ([a, b]) => formatDuration(instant('time_diff', b).ms - instant('time_diff', a).ms),
  },
  {
    // time_since(layout, from, to): an empty layout is RFC 3339, an empty `to` is now.
    name: 'time_since',
    signature: [S, S, S],
    call: ([layout, from, to]) => {
      const read = (t: string) =>
        (layout === '' ? parseRfc3339(t) : parseGoLayout(layout as string, t)) ??
        fail('time_since', `"${t}" does not fit layout "${(layout as string) || 'RFC 3339'}"`);
      const end = to === '' ? Date.now() : read(to as string).ms;
      return formatDuration(end - read(from as string).ms);
    },
  },
  {
    name: 'time_before',
    signature: [S, S],
    call: ([a, b]) => instant('time_before', a).ms < instant('time_before', b).ms,
  },
  {
    name: 'time_after',
    signature: [S, S],
    call: ([a, b]) => instant('time_after', a).ms > instant('time_after', b).ms,
  },
  {
    name: 'time_between',
    signature: [S, S, S],
    call: ([t, start, end]) => {
      const at = instant('time_between', t).ms;
      return at > instant('time_between', start).ms && at < instant('time_between', end).ms;
    },
  },
  {
    name: 'time_truncate',
    signature: [S, S],
    call: ([t, d]) => {
      const at = instant('time_truncate', t);
      const step = duration('time_truncate', d);
      return formatRfc3339({
        ms: step > 0 ? at.ms - (((at.ms % step) + step) % step) : at.ms,
        offsetMinutes: at.offsetMinutes,
      });
    },
  },
  {
    // A cron schedule (minute hour day-of-month month day-of-week) firing at the time, in UTC.
    name: 'time_to_cron',
    signature: [S],
    call: ([t]) => {
      const d = new Date(instant('time_to_cron', t).ms);
      return `${d.getUTCMinutes()} ${d.getUTCHours()} ${d.getUTCDate()} ${d.getUTCMonth() + 1} ${d.getUTCDay()}`;
    },
  },
];
