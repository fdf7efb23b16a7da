import { parentPort, workerData } from 'node:worker_threads';
import { errorMessage, UserInputError } from '../core/errors.js';
import { parseFile, type WorkerMessage } from './parse.js';
import type { ReadOptions, SourceFile } from './reader.js';

/** Parses files for an import, at most `window` files ahead of the writer (see parse.ts). */
const { files, options, shared, window } = workerData as {
  files: SourceFile[];
  options: ReadOptions;
  shared: SharedArrayBuffer;
  window: number;
};
const done = new Int32Array(shared);

for (let i = 0; i < files.length; i++) {
  for (let seen = Atomics.load(done, 0); i - seen >= window; seen = Atomics.load(done, 0))
    Atomics.wait(done, 0, seen, 1000);
  let message: WorkerMessage;
  try {
    message = { i, items: parseFile(files[i]!, options) };
  } catch (error) {
    const user = error instanceof UserInputError;
    parentPort!.postMessage({
      i,
      error: { input: user ? error.input : files[i]!.path, message: errorMessage(error), user },
    } satisfies WorkerMessage);
    break;
  }
  parentPort!.postMessage(message);
}
