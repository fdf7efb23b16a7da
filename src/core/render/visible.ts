/**
 * Characters a terminal acts on rather than shows: C0 controls (ESC starts colour, cursor and OSC sequences —
 * window titles, hyperlinks —, CR rewrites a line, BEL), DEL, C1 controls (0x9B is CSI on 8-bit terminals) and the
 * Unicode bidirectional overrides that make text read in another order than it is stored.
 */
const ACTING = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Record<string, string> = {
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\u001b': '\\x1b',
  '\u0007': '\\a',
};

/**
 * `text` with every such character written as a visible escape (`\x1b`, `\r`, `\u202e`): object names, container
 * names, command lines and audit fields come from whoever made them, and reach the terminal through every table.
 * @example visible('web\u001b]0;pwned\u0007') // 'web\\x1b]0;pwned\\a'
 */
export function visible(text: string): string {
  return text.replace(ACTING, (c) => {
    const named = NAMED[c];
    if (named) return named;
    const code = c.charCodeAt(0);
    return code <= 0xff
      ? `\\x${code.toString(16).padStart(2, '0')}`
      : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
