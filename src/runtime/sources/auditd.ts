import { normalise } from '../auditd/normalise.js';
import { Reassembler } from '../auditd/reassemble.js';
import type { RuntimeEvent } from '../event.js';
import type { DecoderOptions, EventSource, LineDecoder } from './types.js';

/** Raw audit.log text → events grouped by serial (see auditd/reassemble.ts). */
export class AuditdDecoder implements LineDecoder {
  readonly stats = { lines: 0, events: 0, skipped: 0 };
  readonly reassembler: Reassembler;

  constructor(
    emit: (e: RuntimeEvent) => void,
    options: DecoderOptions,
    /** Fills container attribution (live agent). */
    enrich?: (e: RuntimeEvent) => void,
  ) {
    this.reassembler = new Reassembler((records) => {
      const event = normalise(records, options.host);
      if (!event) {
        this.stats.skipped += 1;
        return;
      }
      this.stats.events += 1;
      enrich?.(event);
      emit(event);
    });
  }

  line(text: string): void {
    this.stats.lines += 1;
    this.reassembler.line(text);
  }

  end(): void {
    this.reassembler.end();
    this.stats.skipped += this.reassembler.stats.malformed;
  }
}

export const auditd = {
  name: 'auditd',
  description:
    'Linux audit records (raw or enriched audit.log, node= prefixes), grouped into events by serial',
  decoder: (emit, options) => new AuditdDecoder(emit, options),
} satisfies EventSource;
