import { UserInputError } from '../core/errors.js';

/** What `image scan` looks for (`--scanners`): vulnerabilities in packages, secrets in layers, package licences. */
export const SCANNERS = ['vuln', 'secret', 'license'] as const;
export type ScannerName = (typeof SCANNERS)[number];
export const DEFAULT_SCANNERS: readonly ScannerName[] = ['vuln'];

/**
 * `vuln,secret,license` as a list of scanners, in SCANNERS order; a word that is none, or an empty list, is a
 * UserInputError naming `input` (the flag, the variable or the config key it came from).
 */
export function parseScanners(value: string, input: string): ScannerName[] {
  const words = value
    .split(',')
    .map((w) => w.trim())
    .filter(Boolean);
  if (words.length === 0) throw new UserInputError(input, `give one or more of ${SCANNERS.join(', ')}`);
  for (const w of words)
    if (!(SCANNERS as readonly string[]).includes(w))
      throw new UserInputError(input, `"${w}" is not one of ${SCANNERS.join(', ')}`);
  return SCANNERS.filter((s) => words.includes(s));
}
