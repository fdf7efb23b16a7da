import type { RuntimeEvent, SourceName } from '../event.js';

export interface DecoderStats {
  lines: number;
  events: number;
  /** Records that were not events this source reads (counted, not fatal). */
  skipped: number;
}

/** Turns the text of a replayed input (file or stdin), line by line, into normalised events. */
export interface LineDecoder {
  line(text: string): void;
  /** End of input: flush what is still buffered. */
  end(): void;
  readonly stats: DecoderStats;
}

export interface DecoderOptions {
  /** Input name for error messages (file path or `-`). */
  label: string;
  /** Host name for events that carry none. */
  host?: string;
  /** Cluster name for Kubernetes resources. @example 'prod-eu' */
  cluster?: string;
}

/** One event source: `src/runtime/sources/<name>.ts`, listed in sources/index.ts. */
export interface EventSource {
  name: SourceName;
  description: string;
  decoder(emit: (event: RuntimeEvent) => void, options: DecoderOptions): LineDecoder;
}
