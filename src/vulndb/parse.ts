import { on } from 'node:events';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { errorMessage, UserInputError } from '../core/errors.js';
import { sniffFeed } from './feeds/index.js';
import type { AdvisoryRecord, ExploitSignal } from './model.js';
import { type ReadOptions, readSource, type SourceFile } from './reader.js';

/** What reading one input gave: records of a sniffed feed, or a reason it was skipped. */
export type ParsedItem =
  | { kind: 'skipped'; path: string; reason: string }
  | {
      kind: 'records';
      name: string;
      origin: string;
      feed: string;
      records: AdvisoryRecord[];
      /** KEV entries and EPSS scores (per CVE, beside the advisories). */
      signals: ExploitSignal[];
      dropped: string[];
    };

/** Read, sniff and normalize one source file. Throws UserInputError naming the bad input. */
export function parseFile(file: SourceFile, options: ReadOptions): ParsedItem[] {
  const out: ParsedItem[] = [];
  for (const item of readSource(file, options)) {
    if ('skipped' in item) {
      out.push({ kind: 'skipped', path: item.skipped, reason: item.reason });
      continue;
    }
    const input = item.input;
    const feed = sniffFeed(input);
    if (!feed) {
      if (file.explicit && !input.name.includes('!'))
        throw new UserInputError(input.name, 'not a known advisory feed format');
      out.push({ kind: 'skipped', path: input.name, reason: 'not a known advisory feed format' });
      continue;
    }
    const records: AdvisoryRecord[] = [];
    const signals: ExploitSignal[] = [];
    const dropped: string[] = [];
    try {
      feed.import(input, {
        add: (r) => records.push(r),
        signal: (s) => signals.push(s),
        drop: (reason) => dropped.push(reason),
      });
    } catch (error) {
      if (error instanceof UserInputError) throw error;
      throw new UserInputError(input.name, `cannot read as ${feed.name}: ${errorMessage(error)}`);
    }
    out.push({
      kind: 'records',
      name: input.name,
      origin: input.origin,
      feed: feed.name,
      records,
      signals,
      dropped,
    });
  }
  return out;
}

/** Files parsed ahead of the writer, at most. */
const WINDOW = 256;
/** Below this many files a worker is not worth starting. */
const WORKER_MIN_FILES = 200;

/** Messages from the parse worker. */
export type WorkerMessage =
  | { i: number; items: ParsedItem[] }
  | { i: number; error: { input: string; message: string; user: boolean } };

function workerEntry(): URL | string | undefined {
  const js = new URL('./parse-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(js))) return js;
  // running from the TypeScript sources under tsx (benchmarks): the worker registers tsx's loader first
  const ts = new URL('./parse-worker.ts', import.meta.url);
  if (!existsSync(fileURLToPath(ts)) || !process.execArgv.some((a) => a.includes('tsx'))) return undefined;
  try {
    const api = import.meta.resolve('tsx/esm/api');
    return `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(ts.href)}); })`;
  } catch {
    return undefined;
  }
}

/**
 * Parsed items file by file, in order. Large imports parse in a worker thread, a window ahead of the caller,
 * so that reading and parsing overlap with the database writes; small ones (and builds without the worker)
 * parse inline.
 */
export async function* parseFiles(
  files: readonly SourceFile[],
  options: ReadOptions,
  consumed: (i: number) => void = () => {},
): AsyncGenerator<{ i: number; items: ParsedItem[] }> {
  const entry = files.length >= WORKER_MIN_FILES ? workerEntry() : undefined;
  if (!entry) {
    for (let i = 0; i < files.length; i++) {
      yield { i, items: parseFile(files[i]!, options) };
      consumed(i);
    }
    return;
  }
  const shared = new SharedArrayBuffer(4);
  const done = new Int32Array(shared);
  const worker = new Worker(entry, {
    workerData: { files, options, shared, window: WINDOW },
    eval: typeof entry === 'string',
  });
  const failed = new Promise<never>((_, reject) => {
    worker.once('error', reject);
  });
  void failed.catch(() => {});
  try {
    const messages = on(worker, 'message');
    for (let next = 0; next < files.length; next++) {
      const result = await Promise.race([messages.next(), failed]);
      if (result.done) throw new Error('parse worker stopped early');
      const msg = (result.value as [WorkerMessage])[0];
      if ('error' in msg) {
        if (msg.error.user)
          throw new UserInputError(msg.error.input, msg.error.message.replace(`${msg.error.input}: `, ''));
        throw new Error(msg.error.message);
      }
      yield msg;
      Atomics.store(done, 0, msg.i + 1);
      Atomics.notify(done, 0);
      consumed(msg.i);
    }
  } finally {
    await worker.terminate();
  }
}
