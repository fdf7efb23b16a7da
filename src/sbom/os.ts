import type { FileView } from '../image/file-view.js';
import type { OsInfo } from './types.js';

/** Files OS detection reads (root-relative). */
export const OS_FILES = [
  'etc/os-release',
  'usr/lib/os-release',
  'etc/alpine-release',
  'etc/debian_version',
  'etc/redhat-release',
  'etc/centos-release',
  'etc/system-release',
  'etc/lsb-release',
] as const;

/** Parse a `KEY=value` file (os-release, lsb-release) with shell quoting. */
export function parseKeyValue(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (!m) continue;
    let v = m[2]!;
    if ((v.startsWith('"') && v.endsWith('"')) || (v.startsWith("'") && v.endsWith("'"))) v = v.slice(1, -1);
    out[m[1]!] = v.replace(/\\(["'$`\\])/g, '$1');
  }
  return out;
}

/** os-release ID → family (Trivy's names, which the advisory feeds use). */
const FAMILY: Record<string, string> = {
  debian: 'debian',
  ubuntu: 'ubuntu',
  alpine: 'alpine',
  centos: 'centos',
  rhel: 'redhat',
  rocky: 'rocky',
  almalinux: 'alma',
  amzn: 'amazon',
  ol: 'oracle',
  fedora: 'fedora',
  'opensuse-leap': 'opensuse-leap',
  opensuse: 'opensuse-leap',
  'opensuse-tumbleweed': 'opensuse-tumbleweed',
  sles: 'sles',
  sle_hpc: 'sles',
  'sle-micro': 'slem',
  'sle-micro-rancher': 'slem',
  'sl-micro': 'slem',
  photon: 'photon',
  mariner: 'cbl-mariner',
  azurelinux: 'azurelinux',
  wolfi: 'wolfi',
  chainguard: 'chainguard',
  bottlerocket: 'bottlerocket',
  echo: 'echo',
  minimos: 'minimos',
  coreos: 'coreos',
  activestate: 'activestate',
};

/** The release advisories are keyed by, from a full version. */
export function releaseOf(family: string, full: string): string {
  switch (family) {
    // Ubuntu point releases (22.04.2, as SBOMs and /etc/lsb-release may say) get the release's advisories
    case 'ubuntu':
      return /^(\d+\.\d+)\.\d+$/.exec(full)?.[1] ?? full;
    case 'alpine': {
      if (/_alpha|edge/.test(full)) return 'edge';
      const m = /^(\d+\.\d+)/.exec(full);
      return m ? m[1]! : full;
    }
    case 'debian':
    case 'centos':
    case 'redhat':
    case 'rocky':
    case 'alma':
    case 'oracle':
    case 'fedora': {
      const m = /^(\d+)/.exec(full);
      return m ? m[1]! : full;
    }
    case 'amazon':
      // the original Amazon Linux AMI is versioned by date (2018.03): its advisories are release 1's
      if (/^20\d\d\.\d\d/.test(full)) return '1';
      return /^2\b/.test(full) && !/^20\d\d/.test(full) ? '2' : (/^(\d+)/.exec(full)?.[1] ?? full);
    default:
      return full;
  }
}

function info(family: string, full: string, codename?: string): OsInfo {
  const version = releaseOf(family, full);
  return {
    family,
    version,
    ...(codename ? { codename } : {}),
    ...(full !== version ? { fullVersion: full } : {}),
  };
}

const text = (view: FileView, path: string) => view.read(path)?.toString('utf8');

/**
 * Detect the OS. Precise files win over os-release where os-release is vague: alpine-release and
 * debian_version carry point releases; redhat-release tells CentOS 7.6.1810 apart.
 */
export function detectOs(view: FileView): OsInfo | undefined {
  const osRelease = text(view, 'etc/os-release') ?? text(view, 'usr/lib/os-release');
  const kv = osRelease ? parseKeyValue(osRelease) : {};
  const id = kv.ID?.toLowerCase();
  const family = id ? FAMILY[id] : undefined;
  const alpine = text(view, 'etc/alpine-release')?.trim();
  if (family === 'alpine' || (!family && alpine)) {
    const edge = /\bedge\b/.test(kv.PRETTY_NAME ?? '') || /_alpha/.test(kv.VERSION_ID ?? '');
    return info('alpine', edge ? (kv.VERSION_ID ?? 'edge') : alpine || kv.VERSION_ID || 'unknown');
  }
  const debianVersion = text(view, 'etc/debian_version')?.trim();
  if (family === 'debian' || (!family && debianVersion && !text(view, 'etc/lsb-release'))) {
    const full =
      debianVersion && /^\d/.test(debianVersion)
        ? debianVersion
        : (kv.VERSION_ID ?? debianVersion ?? 'unknown');
    return info('debian', full, kv.VERSION_CODENAME || /\((\w+)\)/.exec(kv.VERSION ?? '')?.[1]);
  }
  if (family === 'ubuntu' || (!family && text(view, 'etc/lsb-release'))) {
    const lsb = parseKeyValue(text(view, 'etc/lsb-release') ?? '');
    const version = kv.VERSION_ID ?? lsb.DISTRIB_RELEASE;
    if (version) return info('ubuntu', version, kv.VERSION_CODENAME || lsb.DISTRIB_CODENAME);
  }
  if (family === 'centos' || family === 'redhat' || !family) {
    const rh = text(view, 'etc/centos-release') ?? text(view, 'etc/redhat-release');
    const m = rh ? /^(.*?) release (\d[\d.]*)/.exec(rh.trim()) : null;
    if (m) {
      const name = m[1]!.toLowerCase();
      const fam = name.startsWith('centos')
        ? 'centos'
        : name.includes('rocky')
          ? 'rocky'
          : name.includes('alma')
            ? 'alma'
            : name.includes('oracle')
              ? 'oracle'
              : name.includes('fedora')
                ? 'fedora'
                : 'redhat';
      return info(fam, m[2]!);
    }
  }
  if (family === 'amazon') return info('amazon', kv.VERSION ?? kv.VERSION_ID ?? 'unknown');
  if (family && kv.VERSION_ID) return info(family, kv.VERSION_ID, kv.VERSION_CODENAME || undefined);
  if (family === 'opensuse-tumbleweed' || family === 'wolfi' || family === 'chainguard')
    return info(family, kv.VERSION_ID ?? 'rolling');
  return undefined;
}
