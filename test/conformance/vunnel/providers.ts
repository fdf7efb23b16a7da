/**
 * vunnel's providers (its public vocabulary, the folder names under `tests/unit/providers/`) → the Bulkhead
 * feeds that read the same upstream data, and how Bulkhead's namespaces are named in vunnel's snapshots.
 * Adding a provider = one entry here.
 *
 * Snapshots come in two shapes: vunnel's OS record (`vulnerability/os/schema-*`, namespaces such as
 * `rhel:9`) and an OSV record cut to one release (`vulnerability/osv/schema-*`, namespaces such as
 * `ubuntu-22.04-lts`). Each feed says which shape its records are compared with.
 */
export type SnapshotShape = 'os' | 'osv';

export interface VunnelProvider {
  /** Bulkhead feed name → the snapshot shape its records are compared with. */
  feeds: Readonly<Record<string, SnapshotShape>>;
  /**
   * Feeds whose statements only amend the state of rows the compared feeds already have (vunnel lays
   * Canonical's VEX decisions over its OSV records this way): feed name → the shape it amends.
   */
  overlays?: Readonly<Record<string, SnapshotShape>>;
  /** vunnel gives the band of the vendor's CVSS score when the vendor publishes a score and no word (Photon). */
  scoredSeverity?: boolean;
  /** vunnel's namespace for a Bulkhead namespace in a snapshot of that shape; undefined when it has none. */
  namespace(namespace: string, shape: SnapshotShape): string | undefined;
}

const tail = (prefix: string) => (ns: string) =>
  ns.startsWith(prefix) ? ns.slice(prefix.length) : undefined;

/** Ubuntu releases of April in even years are LTS. */
const lts = (release: string) => (/^\d*[02468]\.04$/.test(release) ? '-lts' : '');

export const VUNNEL_PROVIDERS: Readonly<Record<string, VunnelProvider>> = {
  rhel: {
    feeds: { 'redhat-security-data': 'os' },
    namespace: (ns) => {
      const release = tail('rpm/redhat/')(ns);
      return release ? `rhel:${release}` : undefined;
    },
  },
  ubuntu: {
    feeds: { 'ubuntu-cve-tracker': 'os', 'ubuntu-osv': 'osv' },
    overlays: { 'ubuntu-vex': 'osv' },
    namespace: (ns, shape) => {
      const base = tail('deb/ubuntu/')(ns);
      const pro = tail('deb/ubuntu-pro/')(ns);
      if (shape === 'os') return base ? `ubuntu:${base}` : undefined;
      if (base) return `ubuntu-${base}${lts(base)}`;
      return pro ? `ubuntu-pro-${pro}${lts(pro)}` : undefined;
    },
  },
  fedora: {
    feeds: { 'fedora-bodhi': 'os' },
    // vunnel files EPEL updates under `fedora:<EPEL release>`
    namespace: (ns) => {
      const release = tail('rpm/fedora/')(ns) ?? tail('rpm/epel/')(ns);
      return release ? `fedora:${release}` : undefined;
    },
  },
  alma: {
    feeds: { 'alma-osv': 'os' },
    namespace: (ns) => {
      const release = tail('rpm/almalinux/')(ns);
      return release ? `almalinux:${release}` : undefined;
    },
  },
  rocky: {
    feeds: { 'rocky-osv': 'os' },
    namespace: (ns) => {
      const release = tail('rpm/rocky/')(ns);
      return release ? `rockylinux:${release}` : undefined;
    },
  },
  sles: {
    feeds: { 'suse-oval': 'os' },
    namespace: (ns) => {
      const release = tail('rpm/suse/')(ns);
      return release ? `sles:${release}` : undefined;
    },
  },
  oracle: {
    feeds: { 'oracle-oval': 'os' },
    namespace: (ns) => {
      const release = tail('rpm/oracle/')(ns);
      return release ? `ol:${release}` : undefined;
    },
  },
  mariner: {
    feeds: { 'mariner-oval': 'os' },
    // vunnel files Azure Linux 3.0 under `mariner:3.0`
    namespace: (ns) => {
      const release = tail('rpm/mariner/')(ns) ?? tail('rpm/azurelinux/')(ns);
      return release ? `mariner:${release}` : undefined;
    },
  },
  amazon: {
    feeds: { 'amazon-alas': 'os' },
    namespace: (ns) => {
      const release = tail('rpm/amazon/')(ns);
      return release ? `amzn:${release}` : undefined;
    },
  },
  photon: {
    feeds: { 'photon-cve': 'os' },
    scoredSeverity: true,
    namespace: (ns) => {
      const release = tail('rpm/photon/')(ns);
      return release ? `photon:${release}` : undefined;
    },
  },
};
