import { existsSync, readFileSync } from 'node:fs';
import { pack } from 'tar-stream';

/** busybox-static applets the scenarios call, as symlinks. */
const APPLETS = [
  'sh',
  'id',
  'sleep',
  'rm',
  'touch',
  'adduser',
  'addgroup',
  'nc',
  'echo',
  'cat',
  'ls',
  'true',
];

/** Names the scenarios run under (hard links to busybox, so that the kernel reports them as the exe). */
export const DISGUISES = {
  sshd: 'usr/sbin/sshd',
  nginx: 'usr/sbin/nginx',
  xmrig: 'usr/local/bin/xmrig',
  alerttest: 'usr/local/bin/asc_alerttest_662jfi039n',
} as const;

/** A tiny root filesystem (tar) with busybox-static and the disguised names. */
export async function simulationRootfs(busybox = '/bin/busybox'): Promise<Buffer> {
  if (!existsSync(busybox)) throw new Error(`${busybox} not found: install busybox-static`);
  const bin = readFileSync(busybox);
  const tar = pack();
  const chunks: Buffer[] = [];
  tar.on('data', (c: unknown) => chunks.push(c as Buffer));
  const done = new Promise<void>((resolve, reject) => {
    tar.on('end', resolve);
    tar.on('error', reject);
  });
  const dir = (name: string, mode = 0o755) => tar.entry({ name, type: 'directory', mode });
  for (const d of [
    './',
    'bin/',
    'etc/',
    'root/',
    'tmp/',
    'usr/',
    'usr/sbin/',
    'usr/local/',
    'usr/local/bin/',
    'home/',
  ])
    dir(d, d === 'tmp/' ? 0o1777 : 0o755);
  tar.entry({ name: 'bin/busybox', mode: 0o755 }, bin);
  for (const a of APPLETS) tar.entry({ name: `bin/${a}`, type: 'symlink', linkname: 'busybox', mode: 0o777 });
  for (const path of Object.values(DISGUISES))
    tar.entry({ name: path, type: 'link', linkname: 'bin/busybox', mode: 0o755 });
  tar.entry({ name: 'etc/passwd', mode: 0o644 }, 'root:x:0:0:root:/root:/bin/sh\n');
  tar.entry({ name: 'etc/group', mode: 0o644 }, 'root:x:0:\n');
  tar.finalize();
  await done;
  return Buffer.concat(chunks);
}
