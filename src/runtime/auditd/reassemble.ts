import { type AuditRecord, parseRecord } from './record.js';

/** Records that end an event by themselves (the kernel writes EOE after multi-record events). */
const END_OF_EVENT = 'EOE';

export interface ReassemblerOptions {
  /** Events kept open waiting for more records before the oldest is emitted. @example 64 */
  maxOpen?: number;
  /** In live mode, an open event older than this (ms, by wall clock) is emitted. */
  maxAgeMs?: number;
}

export interface ReassemblyStats {
  records: number;
  events: number;
  /** Lines that were not audit records. */
  malformed: number;
  /** Serials never seen between two seen ones (per node): events the kernel or the log lost. */
  lost: number;
}

/**
 * Groups records into events by `node` and serial, tolerating interleaved and out-of-order records, lost
 * serials and serial roll-over. An event is emitted at its EOE, when more than `maxOpen` events are open
 * (oldest first), on `flushOlderThan` (live) or at `end()`.
 */
export class Reassembler {
  readonly stats: ReassemblyStats = { records: 0, events: 0, malformed: 0, lost: 0 };
  private readonly open = new Map<string, { records: AuditRecord[]; opened: number }>();
  private readonly lastSerial = new Map<string, number>();
  private readonly gaps: { node: string; from: number; to: number }[] = [];
  private readonly maxOpen: number;

  constructor(
    private readonly emit: (records: AuditRecord[]) => void,
    options: ReassemblerOptions = {},
  ) {
    this.maxOpen = options.maxOpen ?? 64;
  }

  /** Feed one line of audit.log. */
  line(text: string): void {
    if (text.length === 0) return;
    const record = parseRecord(text);
    if (!record) {
      this.stats.malformed += 1;
      return;
    }
    this.record(record);
  }

  record(record: AuditRecord): void {
    this.stats.records += 1;
    const node = record.node ?? '';
    const key = `${node}:${record.serial}`;
    this.trackSerial(node, record.serial);
    if (record.type === END_OF_EVENT) {
      this.flush(key);
      return;
    }
    let entry = this.open.get(key);
    if (!entry) {
      entry = { records: [], opened: Date.now() };
      this.open.set(key, entry);
    }
    entry.records.push(record);
    if (this.open.size > this.maxOpen) {
      const oldest = this.open.keys().next().value;
      if (oldest !== undefined) this.flush(oldest);
    }
  }

  /** Emit events that have waited longer than `ms` (live following). */
  flushOlderThan(ms: number): void {
    const limit = Date.now() - ms;
    for (const [key, entry] of this.open) if (entry.opened <= limit) this.flush(key);
  }

  /** Emit everything still open (end of input). */
  end(): void {
    for (const key of [...this.open.keys()]) this.flush(key);
  }

  private flush(key: string): void {
    const entry = this.open.get(key);
    if (!entry) return;
    this.open.delete(key);
    this.stats.events += 1;
    this.emit(entry.records);
  }

  /** Count gaps in the serial sequence; a jump backwards by more than half the range is a roll-over. */
  private trackSerial(node: string, serial: number): void {
    const last = this.lastSerial.get(node);
    if (last === undefined || serial === last) {
      if (last === undefined) this.lastSerial.set(node, serial);
      return;
    }
    if (serial < last && last - serial > 2 ** 31) {
      this.lastSerial.set(node, serial); // roll-over
      return;
    }
    if (serial > last) {
      const gap = serial - last - 1;
      if (gap > 0 && gap < 1_000_000) {
        this.stats.lost += gap;
        this.gaps.push({ node, from: last, to: serial });
        if (this.gaps.length > 32) this.gaps.shift();
      }
      this.lastSerial.set(node, serial);
      return;
    }
    // a serial below the last one: an out-of-order record; if it fills a recent gap it was not lost after all
    if (this.open.has(`${node}:${serial}`)) return;
    for (const g of this.gaps)
      if (g.node === node && serial > g.from && serial < g.to) {
        this.stats.lost = Math.max(0, this.stats.lost - 1);
        return;
      }
  }
}
