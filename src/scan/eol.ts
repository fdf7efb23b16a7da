import { lookupTable } from '../core/lookup-table.js';
import type { OsSupport } from './types.js';

/**
 * End of standard (security) support per release, from the distributions' published schedules (Debian LTS
 * included, Ubuntu standard support, Alpine main repository, RHEL full + maintenance support).
 */
const END_OF_LIFE: Readonly<Record<string, Readonly<Record<string, string>>>> = lookupTable<
  Readonly<Record<string, string>>
>({
  debian: {
    '7': '2018-05-31',
    '8': '2020-06-30',
    '9': '2022-06-30',
    '10': '2024-06-30',
    '11': '2026-08-31',
    '12': '2028-06-30',
    '13': '2030-06-30',
  },
  ubuntu: {
    '14.04': '2019-04-25',
    '16.04': '2021-04-30',
    '18.04': '2023-05-31',
    '20.04': '2025-05-29',
    '22.04': '2027-06-01',
    '24.04': '2029-05-31',
  },
  alpine: {
    '3.9': '2020-11-01',
    '3.10': '2021-05-01',
    '3.11': '2021-11-01',
    '3.12': '2022-05-01',
    '3.13': '2022-11-01',
    '3.14': '2023-05-01',
    '3.15': '2023-11-01',
    '3.16': '2024-05-23',
    '3.17': '2024-11-22',
    '3.18': '2025-05-09',
    '3.19': '2025-11-01',
    '3.20': '2026-04-01',
    '3.21': '2026-11-01',
    '3.22': '2027-05-01',
  },
  centos: { '6': '2020-11-30', '7': '2024-06-30', '8': '2021-12-31' },
  redhat: { '6': '2020-11-30', '7': '2024-06-30', '8': '2029-05-31', '9': '2032-05-31' },
  rocky: { '8': '2029-05-31', '9': '2032-05-31' },
  alma: { '8': '2029-03-01', '9': '2032-05-31' },
  amazon: { '1': '2023-12-31', '2': '2026-06-30', '2023': '2029-06-30' },
  'opensuse-leap': {
    '15.0': '2019-12-03',
    '15.1': '2021-01-31',
    '15.2': '2021-12-31',
    '15.3': '2022-12-31',
    '15.4': '2023-12-07',
    '15.5': '2024-12-31',
    '15.6': '2025-12-31',
  },
  photon: { '1.0': '2022-02-28', '2.0': '2022-12-31', '3.0': '2024-03-01', '4.0': '2026-03-01' },
});

/** Whether the release still gets security fixes at `now`; `eol` is false for releases not in the table. */
export function osSupport(os: { family: string; version: string }, now: Date = new Date()): OsSupport {
  const endOfLife = END_OF_LIFE[os.family]?.[os.version];
  return {
    family: os.family,
    version: os.version,
    ...(endOfLife ? { endOfLife } : {}),
    eol: endOfLife !== undefined && now.getTime() > Date.parse(`${endOfLife}T23:59:59Z`),
  };
}
