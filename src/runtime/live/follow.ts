import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';

export interface FollowOptions {
  /** Start at the beginning of the file instead of its end. */
  fromStart?: boolean;
  /** Poll interval in milliseconds. */
  pollMs?: number;
  /** Longest line kept; longer lines are cut (bounded memory). */
  maxLine?: number;
}

/**
 * Follow a file like `tail -F`: read lines as they are appended, and start over when the file is replaced
 * (rotation: a new inode at the path) or truncated. Returns a stop function.
 */
export function followFile(
  path: string,
  onLine: (line: string) => void,
  options: FollowOptions = {},
): () => void {
  const pollMs = options.pollMs ?? 200;
  const maxLine = options.maxLine ?? 1024 * 1024;
  let fd: number | undefined;
  let ino = -1;
  let pos = 0;
  let partial = '';
  const buf = Buffer.alloc(64 * 1024);

  const open = (fromStart: boolean) => {
    try {
      fd = openSync(path, 'r');
    } catch {
      fd = undefined;
      return;
    }
    const st = fstatSync(fd);
    ino = st.ino;
    pos = fromStart ? 0 : st.size;
    partial = '';
  };

  const drain = () => {
    if (fd === undefined) return;
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, pos);
      if (n <= 0) break;
      pos += n;
      const text = partial + buf.toString('utf8', 0, n);
      const lines = text.split('\n');
      partial = lines.pop() ?? '';
      if (partial.length > maxLine) partial = partial.slice(0, maxLine);
      for (const line of lines) onLine(line);
    }
  };

  const tick = () => {
    if (fd === undefined) {
      open(true); // the file appeared (or reappeared after rotation)
      drain();
      return;
    }
    drain();
    let st: ReturnType<typeof statSync> | undefined;
    try {
      st = statSync(path);
    } catch {
      st = undefined; // rotated away, not recreated yet
    }
    if (st && (st.ino !== ino || st.size < pos)) {
      drain(); // finish the old file first
      closeSync(fd);
      open(true);
      drain();
    }
  };

  open(options.fromStart === true);
  drain();
  const timer = setInterval(tick, pollMs);
  return () => {
    clearInterval(timer);
    tick();
    if (fd !== undefined) closeSync(fd);
    fd = undefined;
  };
}
