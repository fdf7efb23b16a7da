/** Node files that hold the cloud provider's or the kubelet's credentials, at fixed places. */
const FIXED = [
  '/etc/kubernetes/azure.json',
  '/etc/kubernetes/cloud.conf',
  '/etc/kubernetes/cloud-config',
  '/var/lib/kubelet',
  '/etc/kubernetes/pki',
  '/var/lib/waagent',
].map(components);

/** Credential directories of a user's home, wherever the home is (`/root/.aws`, `/home/ec2-user/.aws`, `~/.aws`, `/.aws`). */
const IN_HOME = [['.aws'], ['.azure'], ['.config', 'gcloud']];

/** Credential files known by name, wherever they are mounted from. */
const FILE_NAMES = new Set(['application_default_credentials.json']);

function components(path: string): string[] {
  return path.split('/').filter((c) => c !== '' && c !== '.');
}

const startsWith = (a: string[], b: string[]) => b.length <= a.length && b.every((c, i) => a[i] === c);

const endsWith = (a: string[], b: string[]) =>
  b.length <= a.length && startsWith(a.slice(a.length - b.length), b);

function contains(path: string[], seq: string[]): boolean {
  for (let i = 0; i + seq.length <= path.length; i++) if (startsWith(path.slice(i), seq)) return true;
  return false;
}

/** A home directory (`/root`, `/home`, `/home/NAME`, `~`), which holds the per-user credential directories. */
function isHome(path: string[]): boolean {
  return (
    (path.length === 1 && ['root', 'home', '~'].includes(path[0]!)) ||
    (path.length === 2 && path[0] === 'home')
  );
}

/**
 * Whether a host path is, lies inside, or contains a cloud credential location, compared by path components:
 * `/root/.aws/` and `/home/u/.aws/credentials` are, `/data/not.aws/x` is not, and `/etc` contains
 * `/etc/kubernetes/azure.json`.
 */
export function isCredentialPath(path: string): boolean {
  const p = components(path);
  if (p.length === 0) return path.startsWith('/');
  if (FIXED.some((f) => startsWith(p, f) || startsWith(f, p))) return true;
  if (FILE_NAMES.has(p[p.length - 1]!)) return true;
  if (isHome(p)) return true;
  // inside a credential directory, or a directory on the way to one (`/root/.config` holds `gcloud`)
  return IN_HOME.some(
    (seq) => contains(p, seq) || seq.slice(0, -1).some((_, n) => endsWith(p, seq.slice(0, n + 1))),
  );
}
