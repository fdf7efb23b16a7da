import { almaOsv } from './alma-osv.js';
import { alpineSecdb } from './alpine-secdb.js';
import { amazonAlas } from './amazon-alas.js';
import { bundle } from './bundle.js';
import { cisaKev } from './cisa-kev.js';
import { debianList } from './debian-list.js';
import { debianTracker } from './debian-tracker.js';
import { debianVulnList } from './debian-vuln-list.js';
import { epssCsv } from './epss-csv.js';
import { fedoraBodhi } from './fedora-bodhi.js';
import { marinerOval } from './mariner-oval.js';
import { nodejsSecurityWg } from './nodejs-security-wg.js';
import { oracleOval } from './oracle-oval.js';
import { osv } from './osv.js';
import { photonCve } from './photon-cve.js';
import { redhatCsaf } from './redhat-csaf.js';
import { redhatSecurityData } from './redhat-security-data.js';
import { rockyOsv } from './rocky-osv.js';
import { rustsec } from './rustsec.js';
import { suseOval } from './suse-oval.js';
import type { Feed, FeedInput } from './types.js';
import { ubuntuCveTracker } from './ubuntu-cve-tracker.js';
import { ubuntuOsv } from './ubuntu-osv.js';
import { ubuntuVex } from './ubuntu-vex.js';

export type { Feed, FeedInput, FeedSink } from './types.js';

/** Every feed format, alphabetically. Adding one = one file + one line. Sniffs are mutually exclusive. */
export const FEEDS: readonly Feed[] = [
  almaOsv,
  alpineSecdb,
  amazonAlas,
  bundle,
  cisaKev,
  debianList,
  debianTracker,
  debianVulnList,
  epssCsv,
  fedoraBodhi,
  marinerOval,
  nodejsSecurityWg,
  oracleOval,
  osv,
  photonCve,
  redhatCsaf,
  redhatSecurityData,
  rockyOsv,
  rustsec,
  suseOval,
  ubuntuCveTracker,
  ubuntuOsv,
  ubuntuVex,
];

/** The feed whose format this input is in, if any. */
export function sniffFeed(input: FeedInput): Feed | undefined {
  return FEEDS.find((f) => f.sniff(input));
}
