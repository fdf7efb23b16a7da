/**
 * How tables fit a terminal: the width to fit, digests shortened first, then the widest columns wrapped.
 * Pure functions on text; table.ts draws.
 */

/** Tables fit this many columns when neither $COLUMNS nor a terminal says otherwise. */
export const DEFAULT_WIDTH = 120;

/** The narrowest a column is squeezed to before the table is allowed to overflow. */
const MIN_COLUMN = 6;

/** $COLUMNS when set, else the terminal's width (when stdout is one), else 120. */
export function outputWidth(
  env: NodeJS.ProcessEnv = process.env,
  stdout: { isTTY?: boolean; columns?: number } = process.stdout,
): number {
  const columns = Number(env.COLUMNS);
  if (Number.isInteger(columns) && columns > 0) return columns;
  if (stdout.isTTY && stdout.columns && stdout.columns > 0) return stdout.columns;
  return DEFAULT_WIDTH;
}

export function displayWidth(text: string): number {
  return [...text].length;
}

const DIGEST = /\b(sha256|sha512|sha1|md5):([0-9a-f]{12})[0-9a-f]{8,}\b|\b([0-9a-f]{12})[0-9a-f]{28,}\b/g;

/** `sha256:` + 64 hex digits (and bare 40+ hex hashes) shortened to their first 12 digits, as `docker ps` does. */
export function shortenDigests(text: string): string {
  return text.replace(
    DIGEST,
    (_m, algo: string | undefined, head: string | undefined, bare: string | undefined) =>
      algo ? `${algo}:${head}` : bare!,
  );
}

/** Cut a text to `width` with an ellipsis. */
export function truncate(text: string, width: number | undefined): string {
  if (width === undefined || displayWidth(text) <= width) return text;
  return `${[...text].slice(0, Math.max(1, width - 1)).join('')}…`;
}

/**
 * Wrap `text` into lines of at most `width` (`later` for the lines after the first): at spaces, else after
 * `/ , ; : = -` when a word is longer, else hard.
 */
export function wrapText(text: string, width: number, later = width): string[] {
  if (width < 1 || displayWidth(text) <= width) return [text];
  const lines: string[] = [];
  let line = '';
  const limit = () => Math.max(1, lines.length === 0 ? width : later);
  const pushWord = (word: string) => {
    let rest = word;
    while (displayWidth(rest) > limit()) {
      const max = limit();
      const chars = [...rest];
      let cut = -1;
      for (let i = max - 1; i > max / 3; i--)
        if ('/,;:=-'.includes(chars[i]!)) {
          cut = i + 1;
          break;
        }
      if (cut < 0) cut = max;
      lines.push(chars.slice(0, cut).join(''));
      rest = chars.slice(cut).join('');
    }
    line = rest;
  };
  for (const word of text.split(' ')) {
    if (line === '') {
      if (displayWidth(word) > limit()) pushWord(word);
      else line = word;
      continue;
    }
    if (displayWidth(line) + 1 + displayWidth(word) <= limit()) {
      line = `${line} ${word}`;
      continue;
    }
    lines.push(line);
    line = '';
    if (displayWidth(word) > limit()) pushWord(word);
    else line = word;
  }
  if (line !== '' || lines.length === 0) lines.push(line);
  return lines.map((l) => l.trimEnd());
}

/** Wrap with an indent on the first line and `hanging` on the others (details under a row, long footers). */
export function wrapIndented(text: string, width: number, indent: string, hanging = indent): string[] {
  const lines = wrapText(
    text,
    Math.max(10, width - displayWidth(indent)),
    Math.max(10, width - displayWidth(hanging)),
  );
  return lines.map((l, i) => (i === 0 ? indent : hanging) + l);
}

/**
 * Column widths that fit `available` characters (separators excluded): the widest columns give up width first,
 * none below `MIN_COLUMN` (or its natural width when smaller). When even that does not fit, the minimums are
 * returned and the caller overflows.
 */
export function fitWidths(natural: readonly number[], available: number): number[] {
  const widths = [...natural];
  const floor = natural.map((w) => Math.min(w, MIN_COLUMN));
  let total = widths.reduce((a, b) => a + b, 0);
  while (total > available) {
    let widest = -1;
    for (let i = 0; i < widths.length; i++)
      if (widths[i]! > floor[i]! && (widest < 0 || widths[i]! > widths[widest]!)) widest = i;
    if (widest < 0) break;
    // shrink the widest down to the next widest (or just enough), in one step
    const next = Math.max(floor[widest]!, ...widths.filter((_, i) => i !== widest));
    const step = Math.min(
      widths[widest]! - floor[widest]!,
      Math.max(1, Math.min(widths[widest]! - next, total - available)),
    );
    widths[widest] = widths[widest]! - step;
    total -= step;
  }
  return widths;
}
