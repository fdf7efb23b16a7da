import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runControls } from '../benchmark.js';
import { CONTROLS } from '../controls/index.js';
import { evidence } from '../test-support/evidence.js';
import { ContainerProcesses } from './container-processes.js';
import { findDaemon, listProcesses } from './daemon.js';
import { collectHost } from './host.js';
import { HostFs } from './host-fs.js';
import * as schema from './schema.js';

let root: string;

function put(path: string, content: string, mode = 0o644): void {
  const full = join(root, path);
  mkdirSync(dirname(full), { recursive: true });
  writeFileSync(full, content);
  chmodSync(full, mode);
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'bulkhead-host-root-'));
  // a dockerd started with "--config-file PATH" (two words), and a second daemon that is not ours
  put('proc/4242/comm', 'dockerd\n');
  put('proc/4242/cmdline', '/usr/sbin/dockerd\0--config-file\0/srv/docker/daemon.json\0');
  put('proc/4242/status', 'Name:\tdockerd\nUid:\t0\t0\t0\t0\n');
  put('proc/4242/environ', 'PATH=/usr/bin:/usr/sbin\0');
  symlinkSync('/usr/sbin/dockerd', join(root, 'proc/4242/exe'));
  put('proc/5000/comm', 'dockerd\n');
  put('proc/5000/cmdline', '/usr/sbin/dockerd\0--data-root=/other\0');
  put('proc/5000/status', 'Uid:\t0\t0\t0\t0\n');
  symlinkSync('/usr/sbin/dockerd', join(root, 'proc/5000/exe'));
  put('proc/77/comm', 'docker-proxy\n');
  // a container (init 300 and a child) and a host process outside its cgroup
  for (const [pid, comm, cgroup, cmdline] of [
    ['300', 'sh', '0::/docker/c0ffee', '/bin/sh\0/usr/sbin/sshd\0'],
    ['301', 'sleep', '0::/docker/c0ffee', 'sleep\0' + '3600\0'],
    ['302', 'sshd', '0::/system.slice/ssh.service', '/usr/sbin/sshd\0-D\0'],
  ] as const) {
    put(`proc/${pid}/comm`, `${comm}\n`);
    put(`proc/${pid}/cgroup`, `${cgroup}\n`);
    put(`proc/${pid}/cmdline`, cmdline);
  }
  put(
    'proc/1/mountinfo',
    '22 1 254:0 / / rw - ext4 /dev/vda rw\n30 22 254:16 / /data rw - xfs /dev/vdb rw\n',
  );
  put(
    'srv/docker/daemon.json',
    JSON.stringify({ 'data-root': '/data/docker', hosts: ['unix:///run/alt.sock', 'tcp://0.0.0.0:2375'] }),
    0o666,
  );
  put('etc/group', 'root:x:0:\ndocker:x:999:alice\n');
  put('etc/passwd', 'root:x:0:0::/root:/bin/sh\nbob:x:1000:999::/home/bob:/bin/sh\n');
  put(
    'etc/audit/rules.d/docker.rules',
    '-w /usr/sbin/dockerd -p rwxa -k docker\n-w /run/docker/containerd/containerd.sock -k docker\n',
  );
  put('usr/sbin/dockerd', '', 0o755);
  put('usr/bin/containerd', '', 0o755);
  put('usr/bin/runc', '', 0o755);
  put('etc/docker/certs.d/reg.example:5000/ca.crt', 'cert', 0o644);
  put('run/alt.sock', '', 0o660);
  put('lib/systemd/system/docker.service', '[Service]\nExecStart=/usr/sbin/dockerd\n');
  put('etc/systemd/system/docker.service.d/override.conf', '[Service]\nExecStart=\n', 0o666);
  put('run/docker/containerd/containerd.sock', '', 0o660);
  // an absolute symlink inside the host root must resolve inside it
  mkdirSync(join(root, 'var'), { recursive: true });
  symlinkSync('/run', join(root, 'var/run'));
  mkdirSync(join(root, 'data/docker'), { recursive: true });
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

async function collect() {
  const fs = new HostFs(root);
  const info = schema.info.parse({
    Name: 'hosty',
    DockerRootDir: '/data/docker',
    Runtimes: { runc: { path: 'runc' } },
  });
  const processes = await listProcesses(fs);
  const daemon = await findDaemon(fs, processes, '/data/docker');
  const host = await collectHost(fs, info, daemon, processes);
  return { info, daemon, host };
}

describe('host evidence under --root', () => {
  it('finds the daemon serving our data root and reads the config file it was given as two words', async () => {
    const { daemon } = await collect();
    if (!daemon.ok) throw new Error(daemon.reason);
    expect(daemon.value.pid).toBe(4242);
    expect(daemon.value.exe).toBe('/usr/sbin/dockerd');
    expect(daemon.value.configFile).toEqual({
      path: '/srv/docker/daemon.json',
      explicit: true,
      exists: true,
    });
    expect(daemon.value.config.values.hosts).toEqual(['unix:///run/alt.sock', 'tcp://0.0.0.0:2375']);
  });

  it('reads sockets, binaries, group members, audit rules and certificates where they really are', async () => {
    const { host } = await collect();
    expect(host.dockerSockets).toEqual({ ok: true, value: ['/run/alt.sock'] });
    expect(host.containerdSockets).toEqual({
      ok: true,
      value: ['/var/run/docker/containerd/containerd.sock'],
    });
    expect(host.binaries.ok && host.binaries.value.containerd).toBe('/usr/bin/containerd');
    expect(host.binaries.ok && host.binaries.value.runc).toBe('/usr/bin/runc');
    expect(host.dockerGroup).toEqual({
      ok: true,
      value: { name: 'docker', gid: 999, members: ['alice', 'bob'] },
    });
    expect(host.audit.ok && host.audit.value.source).toBe('/etc/audit/rules.d/docker.rules');
    expect(host.registryCerts.ok && host.registryCerts.value.map((c) => c.path)).toEqual([
      '/etc/docker/certs.d/reg.example:5000/ca.crt',
    ]);
    expect(host.dockerProxies).toEqual({ ok: true, value: 1 });
  });

  it('gives verdicts from that evidence', async () => {
    const { daemon, host, info } = await collect();
    const e = evidence({ daemon, host, info });
    const status = (id: string, ev = e) =>
      runControls(
        ev,
        CONTROLS.filter((c) => c.id === id),
      )[0]!.status;
    expect(status('1.1.1')).toBe('pass');
    expect(status('1.1.2')).toBe('fail');
    expect(status('1.1.2', { ...e, policy: { trustedUsers: ['alice', 'bob'] } })).toBe('pass');
    expect(status('1.1.3')).toBe('pass');
    expect(status('1.1.14')).toBe('fail');
    // the socket is used as /var/run/…; the rule names its real path under /run
    expect(status('1.1.8')).toBe('pass');
    expect(status('2.8')).toBe('fail');
    expect(status('3.16')).toBe('pass');
    expect(status('3.1')).toBe('pass');
    // the world-writable drop-in configures the service as much as the unit file does
    expect(status('3.2')).toBe('fail');
    expect(status('3.18')).toBe('fail');
    expect(status('3.24')).toBe('pass');
    expect(status('3.9')).toBe('not_applicable');
  });

  it("lists a container's processes by its cgroup, not by the PID namespace it may share with the host", async () => {
    const fs = new HostFs(root);
    const procs = new ContainerProcesses(fs, listProcesses(fs));
    expect(await procs.of('c0ffee', 300)).toEqual({
      ok: true,
      value: [
        { comm: 'sh', args: '/bin/sh /usr/sbin/sshd' },
        { comm: 'sleep', args: 'sleep 3600' },
      ],
    });
    expect(await procs.of('another', 300)).toBeUndefined();
  });

  it('reports a daemon that is not on this host as missing evidence', async () => {
    const fs = new HostFs(root);
    const processes = await listProcesses(fs);
    const other = await findDaemon(fs, processes, '/nowhere');
    expect(other.ok).toBe(false);
  });
});

describe('a daemon started with -H fd:// (systemd socket activation)', () => {
  it('takes its sockets from docker.socket, TCP ones included', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bulkhead-host-root-fd-'));
    const write = (path: string, content: string) => {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), content);
    };
    try {
      write('proc/10/comm', 'dockerd\n');
      write('proc/10/cmdline', '/usr/bin/dockerd\0-H\0fd://\0--containerd=/run/containerd/containerd.sock\0');
      write('proc/10/status', 'Uid:\t0\t0\t0\t0\n');
      symlinkSync('/usr/bin/dockerd', join(dir, 'proc/10/exe'));
      write('etc/group', 'docker:x:999:\n');
      write(
        'lib/systemd/system/docker.socket',
        '[Socket]\nListenStream=/run/docker.sock\nListenStream=2375\n',
      );
      const fs = new HostFs(dir);
      const info = schema.info.parse({ Name: 'h', DockerRootDir: '/var/lib/docker' });
      const processes = await listProcesses(fs);
      const daemon = await findDaemon(fs, processes, '/var/lib/docker');
      const host = await collectHost(fs, info, daemon, processes);
      expect(host.dockerSockets).toEqual({ ok: true, value: ['/run/docker.sock'] });
      expect(host.socketActivatedTcp).toEqual({ ok: true, value: ['tcp://0.0.0.0:2375'] });
      expect(host.containerdSockets).toEqual({ ok: true, value: ['/run/containerd/containerd.sock'] });
      const e = evidence({ daemon, host, info });
      expect(
        runControls(
          e,
          CONTROLS.filter((c) => c.id === '2.8'),
        )[0]!.status,
      ).toBe('fail');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
