import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import * as Stream from 'node:stream';
import { UserInputError } from '../core/errors.js';
import { checkInputFile } from '../core/input-file.js';
import type { Alert } from '../core/results.js';
import { Engine, type EngineOptions } from './engine.js';
import type { RuntimeEvent } from './event.js';
import type { ActiveRuleSet } from './rule-set.js';
import type { EventSource } from './sources/types.js';

export interface ReplayResult {
  alerts: Alert[];
  events: number;
  skipped: number;
}

/** Decode every input completely, then evaluate: a bad input yields an error and no alert at all. */
export async function replay(
  source: EventSource,
  inputs: { label: string; stream: () => Readable }[],
  rules: ActiveRuleSet,
  options: EngineOptions & { host?: string; cluster?: string } = {},
): Promise<ReplayResult> {
  const events: RuntimeEvent[] = [];
  let skipped = 0;
  for (const input of inputs) {
    const decoder = source.decoder((e) => events.push(e), {
      label: input.label,
      ...(options.host ? { host: options.host } : {}),
      ...(options.cluster ? { cluster: options.cluster } : {}),
    });
    const rl = createInterface({ input: input.stream(), crlfDelay: Number.POSITIVE_INFINITY });
    try {
      for await (const line of rl) {
        if (line.includes('\0')) throw new UserInputError(input.label, 'input is binary, not text');
        decoder.line(line);
      }
    } catch (error) {
      if (error instanceof UserInputError) throw error;
      throw new UserInputError(input.label, `cannot read input: ${(error as Error).message}`);
    }
    decoder.end();
    skipped += decoder.stats.skipped;
  }
  const engine = new Engine(rules, options);
  for (const e of events) engine.process(e);
  return { alerts: engine.alerts(), events: events.length, skipped };
}

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
