import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import * as Stream from 'node:stream';
import { UserInputError } from '../core/errors.js';
import { checkInputFile } from '../core/input-file.js';
import type { Alert } from '../core/results.js';
import { Engine, type EngineOptions } from './engine.js';
import type { ActiveRuleSet } from './rule-set.js';
import type { EventSource } from './sources/types.js';

export interface ReplayResult {
  alerts: Alert[];
  events: number;
  skipped: number;
}

/**
 * Decode each input line by line and evaluate every event as it is decoded: memory holds the engine's state
 * (windows, aggregated alerts), never the log. A bad input yields an error and no result at all, and an input
 * in which the source recognises nothing (not its format) is refused rather than reported as "0 events".
 */
export async function replay(
  source: EventSource,
  inputs: { label: string; stream: () => Readable }[],
  rules: ActiveRuleSet,
  options: EngineOptions & { host?: string; cluster?: string } = {},
): Promise<ReplayResult> {
  const engine = new Engine(rules, options);
  let events = 0;
  let skipped = 0;
  for (const input of inputs) {
    const decoder = source.decoder(
      (e) => {
        events += 1;
        engine.process(e);
      },
      {
        label: input.label,
        ...(options.host ? { host: options.host } : {}),
        ...(options.cluster ? { cluster: options.cluster } : {}),
      },
    );
    let lines = 0;
    const rl = createInterface({ input: input.stream(), crlfDelay: Number.POSITIVE_INFINITY });
    try {
      for await (const line of rl) {
        if (line.includes('\0')) throw new UserInputError(input.label, 'input is binary, not text');
        if (line.length > MAX_LINE)
          throw new UserInputError(input.label, `a line longer than ${MAX_LINE} bytes`);
        if (line.trim()) lines += 1;
        decoder.line(line);
      }
    } catch (error) {
      rl.close();
      if (error instanceof UserInputError) throw error;
      throw new UserInputError(input.label, `cannot read input: ${(error as Error).message}`);
    }
    decoder.end();
    if (lines > 0 && decoder.stats.events === 0 && decoder.stats.skipped >= lines)
      throw new UserInputError(
        input.label,
        `nothing in its ${lines} lines is a ${source.name} record: expected ${source.description}`,
      );
    skipped += decoder.stats.skipped;
  }
  return { alerts: engine.alerts(), events, skipped };
}

/** Longest line read: an audit record or a JSON event line is far below; a longer one is not a log. */
const MAX_LINE = 16 * 1024 * 1024;

export function fileInput(path: string): { label: string; stream: () => Readable } {
  return {
    label: path,
    stream: () => {
      // a FIFO, directory or missing file is refused here rather than hanging or failing mid-stream
      checkInputFile(path, { maxBytes: Number.MAX_SAFE_INTEGER, what: 'an event log' });
      return createReadStream(path, { highWaterMark: 1 << 20 });
    },
  };
}

/** Replay text held in memory (tests, simulation). */
export function textInput(label: string, text: string): { label: string; stream: () => Readable } {
  return { label, stream: () => Stream.Readable.from([text]) };
}
