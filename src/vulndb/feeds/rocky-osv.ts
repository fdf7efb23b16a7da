import { distroOsvFeed, erratumAmend } from './osv.js';

/** Rocky Linux errata as OSV (`RLSA`, `RLBA`, `RLEA`; Apollo's export on osv.dev): fixed versions per release. */
export const rockyOsv = distroOsvFeed({
  name: 'rocky-osv',
  description: 'Rocky Linux errata as OSV (RLSA/RLBA/RLEA; CVEs in related, severity in the summary)',
  ids: /^RL[SBE]A-/,
  amend: erratumAmend('rocky'),
});
