import { describe, expect, it } from 'vitest';
import { runControls, selectControls } from '../benchmark.js';
import { container, daemon, evidence, image } from '../test-support/evidence.js';
import type { Evidence } from '../types.js';
import { CONTROLS } from './index.js';

function result(id: string, e: Evidence) {
  const control = CONTROLS.find((c) => c.id === id)!;
  return runControls(e, [control])[0]!;
}

function failing(id: string, e: Evidence): string[] {
  const r = result(id, e);
  return r.status === 'fail' ? r.resources.map((x) => x.name) : [];
}

/** [control, container that must fail, container that must pass] */
const CONTAINER_CASES: [string, Record<string, unknown>, Record<string, unknown>][] = [
  [
    '5.4',
    { HostConfig: { CapAdd: ['SYS_ADMIN'] } },
    { HostConfig: { CapAdd: ['NET_BIND_SERVICE'], CapDrop: ['ALL'] } },
  ],
  ['5.5', { HostConfig: { Privileged: true } }, {}],
  [
    '5.6',
    { Mounts: [{ Type: 'bind', Source: '/etc', Destination: '/host-etc', RW: false }] },
    { Mounts: [{ Type: 'bind', Source: '/srv/app-data', Destination: '/data', RW: true }] },
  ],
  [
    '5.8',
    { HostConfig: { PortBindings: { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '80' }] } } },
    { HostConfig: { PortBindings: { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '8080' }] } } },
  ],
  ['5.10', { HostConfig: { NetworkMode: 'host' } }, {}],
  ['5.11', {}, { HostConfig: { Memory: 67108864 } }],
  ['5.13', {}, { HostConfig: { ReadonlyRootfs: true } }],
  [
    '5.14',
    {
      State: { Status: 'created', Running: false },
      HostConfig: { PortBindings: { '80/tcp': [{ HostIp: '', HostPort: '8081' }] } },
    },
    { HostConfig: { PortBindings: { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '8081' }] } } },
  ],
  [
    '5.15',
    { HostConfig: { RestartPolicy: { Name: 'always', MaximumRetryCount: 0 } } },
    { HostConfig: { RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 5 } } },
  ],
  ['5.16', { HostConfig: { PidMode: 'host' } }, {}],
  [
    '5.18',
    {
      HostConfig: {
        Devices: [{ PathOnHost: '/dev/zero', PathInContainer: '/dev/z', CgroupPermissions: 'rwm' }],
      },
    },
    {},
  ],
  [
    '5.20',
    { Mounts: [{ Type: 'bind', Source: '/srv/x', Destination: '/x', RW: true, Propagation: 'rshared' }] },
    { Mounts: [{ Type: 'bind', Source: '/srv/x', Destination: '/x', RW: true, Propagation: 'rprivate' }] },
  ],
  ['5.22', { HostConfig: { SecurityOpt: ['seccomp=unconfined'] } }, {}],
  ['5.25', { HostConfig: { CgroupParent: '/custom' } }, {}],
  ['5.26', {}, { HostConfig: { SecurityOpt: ['no-new-privileges:true'] } }],
  ['5.27', {}, { Config: { Healthcheck: { Test: ['CMD', 'true'] } } }],
  ['5.29', { HostConfig: { PidsLimit: -1 } }, { HostConfig: { PidsLimit: 64 } }],
  ['5.31', { HostConfig: { UsernsMode: 'host' } }, {}],
  [
    '5.32',
    { Mounts: [{ Type: 'bind', Source: '/run/docker.sock', Destination: '/var/run/docker.sock', RW: true }] },
    {},
  ],
];

describe('container controls', () => {
  it.each(CONTAINER_CASES)(
    '%s fails the bad container (running or not) and passes the good one',
    (id, bad, good) => {
      const e = evidence({ containers: [container('bad', bad), container('good', good)] });
      expect(failing(id, e)).toEqual(['bad']);
    },
  );

  it('5.8 and 5.14 ignore port bindings the daemon does not apply (host network)', () => {
    const hostNet = container('hostnet', {
      HostConfig: { NetworkMode: 'host', PortBindings: { '80/tcp': [{ HostIp: '', HostPort: '80' }] } },
    });
    const e = evidence({ containers: [hostNet] });
    expect(failing('5.8', e)).toEqual([]);
    expect(failing('5.14', e)).toEqual([]);
    expect(failing('5.10', e)).toEqual(['hostnet']);
  });

  it('5.30 finds the default bridge by its option, whatever it is called', () => {
    const e = evidence({
      containers: [
        container('on-default', { NetworkSettings: { Networks: { docker0renamed: { NetworkID: 'n1' } } } }),
        container('on-own', {
          HostConfig: { NetworkMode: 'app' },
          NetworkSettings: { Networks: { app: { NetworkID: 'n2' } } },
        }),
      ],
    });
    e.networks[0] = { ...e.networks[0]!, Name: 'docker0renamed' };
    expect(failing('5.30', e)).toEqual(['on-default']);
  });

  it('5.26 passes containers without the option when the daemon sets no-new-privileges, errors when that is unknown', () => {
    const c = [container('plain')];
    expect(
      result(
        '5.26',
        evidence({ containers: c, daemon: { ok: true, value: daemon({ 'no-new-privileges': true }) } }),
      ).status,
    ).toBe('pass');
    expect(
      result('5.26', evidence({ containers: c, daemon: { ok: false, reason: 'permission denied' } })).status,
    ).toBe('error');
  });

  it('5.7 looks at the processes of running containers only, and 5.24 at exec instances as root', () => {
    const sshd = container(
      'sshd',
      {},
      { processes: { ok: true, value: [{ comm: 'sshd', args: '/bin/sh /usr/sbin/sshd' }] } },
    );
    const stopped = container(
      'stopped',
      { State: { Status: 'exited', Running: false } },
      { processes: null },
    );
    const exec = container(
      'exec',
      { Config: { User: 'app' } },
      {
        execs: {
          ok: true,
          value: [
            {
              ID: 'x',
              Running: true,
              Privileged: false,
              ProcessConfig: { user: 'root', entrypoint: 'sleep', arguments: ['9'], privileged: false },
            },
          ],
        },
      },
    );
    const e = evidence({ containers: [exec, sshd, stopped] });
    expect(failing('5.7', e)).toEqual(['sshd']);
    expect(failing('5.24', e)).toEqual(['exec']);
    expect(result('5.23', e).status).toBe('manual');
  });

  it('5.2 and 5.3 are not applicable where the host has no AppArmor/SELinux', () => {
    const e = evidence({
      containers: [container('c', { HostConfig: { SecurityOpt: ['apparmor=unconfined'] } })],
    });
    expect(result('5.2', e).status).toBe('not_applicable');
    expect(result('5.3', e).status).toBe('not_applicable');
    const withApparmor = evidence(
      { containers: e.containers },
      { SecurityOptions: ['name=apparmor', 'name=seccomp,profile=default'] },
    );
    expect(failing('5.2', withApparmor)).toEqual(['c']);
  });
});

describe('image controls', () => {
  const smells = image('smells:1', { Config: { Env: ['AWS_SECRET_ACCESS_KEY=abc', 'PATH=/bin'] } }, [
    '/bin/sh -c #(nop)  CMD ["sleep"]',
    '|1 DB_PASSWORD=hunter2 /bin/sh -c apt-get update',
    '/bin/sh -c #(nop) ADD file:abc in /usr/bin/tool ',
    '/bin/sh -c #(nop)  ARG DB_PASSWORD=hunter2',
    '/bin/sh -c #(nop) ADD file:rootfs in / ',
  ]);
  const clean = image('clean:1', { Config: { User: 'app', Healthcheck: { Test: ['CMD', 'true'] } } }, [
    'RUN /bin/sh -c apt-get update && apt-get install -y curl # buildkit',
    'COPY app /app # buildkit',
    '/bin/sh -c #(nop) ADD file:rootfs in / ',
  ]);
  const e = evidence({ images: [clean, smells] });

  it.each(['4.1', '4.6', '4.7', '4.9', '4.10'])(
    '%s fails the image with the smell and passes the clean one',
    (id) => {
      expect(failing(id, e)).toEqual(['smells:1']);
    },
  );

  it('6.1 lists the images no container uses', () => {
    expect(
      failing('6.1', evidence({ images: [clean, smells], imagesInUse: new Set(['sha256:clean:1']) })),
    ).toEqual(['smells:1']);
  });
});

describe('daemon and host controls', () => {
  it('read the effective configuration, and report error (never pass) when it is missing', () => {
    const weak = evidence({
      daemon: {
        ok: true,
        value: daemon({ hosts: ['tcp://127.0.0.1:2375'], icc: true }, { iptables: false }),
      },
    });
    for (const id of ['2.4', '2.8', '2.15', '2.17']) expect(result(id, weak).status, id).toBe('fail');
    const unknown = evidence({ daemon: { ok: false, reason: 'cannot read /proc/1/exe' } });
    for (const id of ['2.4', '2.8', '2.9', '2.15', '2.17', '3.17', '1.1.3'])
      expect(result(id, unknown).status, id).toBe('error');
  });

  it('2.16 is not applicable while swarm mode is active', () => {
    expect(result('2.16', evidence({}, { Swarm: { LocalNodeState: 'active' } })).status).toBe(
      'not_applicable',
    );
    expect(result('2.16', evidence()).status).toBe('fail');
  });

  it('1.1.1 fails a data root that is a bind mount of the root filesystem', () => {
    const mounts = (second: { device: string; fsRoot: string }) =>
      evidence({
        host: {
          ...evidence().host,
          mounts: {
            ok: true,
            value: [
              { mountPoint: '/', device: '254:0', fsRoot: '/', fsType: 'ext4', source: '/dev/vda' },
              { mountPoint: '/var/lib/docker', fsType: 'ext4', source: '/dev/vda', ...second },
            ],
          },
        },
      });
    expect(result('1.1.1', mounts({ device: '254:0', fsRoot: '/var/lib/docker' })).status).toBe('fail');
    expect(result('1.1.1', mounts({ device: '254:16', fsRoot: '/' })).status).toBe('pass');
  });
});

describe('selectControls', () => {
  it('selects by level and by id or section, and rejects unknown ids', () => {
    expect(selectControls({ level: 1 }).every((c) => c.level === 1)).toBe(true);
    expect(selectControls({ level: 2 })).toHaveLength(118);
    expect(selectControls({ checks: ['1.1'] })).toHaveLength(18);
    expect(selectControls({ checks: ['2.8,5.5'] }).map((c) => c.id)).toEqual(['2.8', '5.5']);
    expect(() => selectControls({ checks: ['9.9'] })).toThrow(/--check/);
  });

  it('leaves out excluded ids and sections, after the checks asked for', () => {
    expect(selectControls({ checks: ['1.1'], excludeChecks: ['1.1.1'] })).toHaveLength(17);
    expect(selectControls({ excludeChecks: ['5'] }).some((c) => c.id.startsWith('5.'))).toBe(false);
    expect(selectControls({ excludeChecks: ['5', '4.1'] })).toHaveLength(
      118 - selectControls({ checks: ['5', '4.1'] }).length,
    );
    expect(() => selectControls({ excludeChecks: ['9.9'] })).toThrow(/--exclude-check: "9.9"/);
  });
});
