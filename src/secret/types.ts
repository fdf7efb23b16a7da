import type { Severity } from '../core/severity.js';

/**
 * A secret rule: one credential format (ARCHITECTURE.md "content is data-like"). One file each in rules/, listed in
 * rules/index.ts. Patterns are RE2 (src/regex/re2.ts): linear time whatever a file holds.
 */
export interface SecretRule {
  /** Frozen, kebab-case, e.g. `aws-access-key-id`. */
  id: string;
  title: string;
  severity: Severity;
  /**
   * Lower-case words of which one must be in the file before the pattern runs (Trivy's keyword prefilter): most
   * files hold none, and a substring search is far cheaper than a regular expression. With `caseSensitive`, as
   * the pattern spells them.
   * @example ['akia', 'asia']
   */
  keywords: readonly string[];
  /** Keywords are compared as written, not lower-cased (`AKIA` but not `akia`, nor the `Asia` of time zones). */
  caseSensitive?: boolean;
  /**
   * RE2 pattern. The named group `secret` is the credential itself (what is masked); without one, the whole match.
   * @example '(?P<secret>AKIA[A-Z2-7]{16})'
   */
  pattern: string;
  /**
   * How far past a keyword a match may end, in characters (default 256). The pattern runs only over windows from
   * the start of a keyword's line (at most 256 characters back) to this far past it, never over the whole file.
   */
  reach?: number;
  /**
   * The pattern is written in lower case and runs over the lower-cased text (the secret itself is taken from the
   * text as written): every spelling of `PASSWORD` at the cost of one, where `(?i)` would slow RE2 several times.
   */
  lowerCase?: boolean;
  /** The match starts at a keyword (no name or boundary before it): windows start there, not at the line. */
  startsAtKeyword?: boolean;
  /** RE2 patterns over the secret that make a match no secret (placeholders such as `${PASSWORD}`). */
  allow?: readonly string[];
}

/**
 * An allow rule: where a match is no finding. `path` (RE2 over the path without its leading slash) and `secret`
 * (RE2 over the secret); when both are given, both must match.
 */
export interface AllowRule {
  id: string;
  description: string;
  path?: string;
  secret?: string;
}

/** One secret in an image: the ImageScan `secrets` entry (CONTRACTS.md, docs/documents.md). */
export interface SecretFinding {
  /** The rule's id. */
  rule: string;
  title: string;
  severity: Severity;
  /** With a leading slash. */
  path: string;
  /** Diff id of the layer that added the file holding it; absent for a root file system (`dir:`). */
  layer?: string;
  /** The instruction that created that layer, when the image history says. */
  layerInstruction?: string;
  /** 1-based line where the secret starts (a PEM key's body: the line after its header). */
  line: number;
  /** The match with the secret masked: a short prefix, then `*` (never the whole secret). */
  match: string;
}
