import type { AdvisoryRecord, ExploitSignal } from '../model.js';

/** One input file as the reader hands it to the feeds: its text and, for JSON/YAML, the parsed document. */
export interface FeedInput {
  /** What to call it in messages: a path, a URL or `archive.zip!entry.json`. */
  name: string;
  /** Where its rows come from; re-importing the same origin replaces them. */
  origin: string;
  kind: 'json' | 'yaml' | 'text';
  text: string;
  /** The parsed document (JSON or YAML); undefined for text. */
  doc: unknown;
  /** Named by the user (not found in a directory or archive): a broken file of a known format is an error then. */
  explicit?: boolean;
}

/** Where a feed puts what it read. */
export interface FeedSink {
  add(record: AdvisoryRecord): void;
  /** Exploitation data about a CVE (KEV, EPSS), stored beside the advisories. */
  signal(signal: ExploitSignal): void;
  /** A record that could not be used; counted and reported, never stored. */
  drop(reason: string): void;
}

/** A feed format: one object in one file, listed in feeds/index.ts. */
export interface Feed {
  /** @example 'osv' */
  name: string;
  description: string;
  /** Whether this input is in the feed's format (cheap: looks at the parsed shape or the first lines). */
  sniff(input: FeedInput): boolean;
  /** Normalize every record of the input into the sink. */
  import(input: FeedInput, sink: FeedSink): void;
}
