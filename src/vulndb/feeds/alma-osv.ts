import { distroOsvFeed, erratumAmend } from './osv.js';

/** AlmaLinux errata as OSV (`ALSA`, `ALBA`, `ALEA`; the AlmaLinux osv-database): fixed versions per release. */
export const almaOsv = distroOsvFeed({
  name: 'alma-osv',
  description: 'AlmaLinux errata as OSV (ALSA/ALBA/ALEA; CVEs in related, severity in the summary)',
  ids: /^AL[SBE]A-/,
  amend: erratumAmend('alma'),
});
