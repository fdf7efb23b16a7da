import type { RuleContext } from '../context.js';
import type { Json, RuntimeEvent } from '../event.js';
import { basename } from './lib/host.js';
import { allIn, repository } from './lib/k8s.js';
import type { Match, Rule } from './types.js';

const ESCAPE = { tactic: 'Privilege Escalation', technique: 'T1611 Escape to Host' };
const SENSITIVE = [
  '/',
  '/etc',
  '/proc',
  '/root',
  '/boot',
  '/dev',
  '/home',
  '/var/run/docker.sock',
  '/run/docker.sock',
  '/run/containerd/containerd.sock',
  '/var/run/crio/crio.sock',
  '/var/lib/kubelet',
  '/etc/kubernetes',
];
const CAPS = [
  'ALL',
  'SYS_ADMIN',
  'SYS_MODULE',
  'SYS_PTRACE',
  'SYS_RAWIO',
  'DAC_READ_SEARCH',
  'NET_ADMIN',
  'BPF',
  'PERFMON',
];
const SHELLS = ['sh', 'bash', 'ash', 'dash', 'zsh'];

function image(e: RuntimeEvent): string {
  return e.docker?.attributes.image ?? e.docker?.inspect?.Config?.Image ?? '';
}

function evidence(e: RuntimeEvent, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const d = e.docker!;
  return { action: d.action, container: d.attributes.name ?? d.id.slice(0, 12), image: image(e), ...extra };
}

/** container start (or create) with inspect data. */
function started(e: RuntimeEvent, create = true): Json {
  const d = e.docker;
  if (d?.type !== 'container' || !d.inspect) return undefined;
  return d.action === 'start' || (create && d.action === 'create') ? d.inspect : undefined;
}

function execCommand(e: RuntimeEvent): string | undefined {
  const d = e.docker;
  if (d?.type !== 'container' || !d.action.startsWith('exec_start')) return undefined;
  return d.action.slice(d.action.indexOf(':') + 1).trim();
}

function dockerRule(
  meta: Omit<Rule, 'source' | 'when' | 'evidence'>,
  test: (e: RuntimeEvent, ctx: RuleContext) => Match | undefined,
): Rule {
  return { evidence: ['container', 'image', 'action'], ...meta, source: 'docker-events', when: test };
}

export const dockerRules: Rule[] = [
  dockerRule(
    {
      id: 'RT-DKR-01',
      title: 'Privileged container started',
      severity: 'Medium',
      ...ESCAPE,
      defender: ['K8S.NODE_PrivilegedContainerArtifacts'],
      falco: ['Launch Privileged Container'],
      remediation: 'Run the container without --privileged; add only the capabilities it needs.',
    },
    (e, ctx) => {
      const i = started(e);
      if (i?.HostConfig?.Privileged !== true) return undefined;
      if (allIn([repository(image(e))], ctx.list('privileged_images'))) return undefined;
      return { evidence: evidence(e, { privileged: true }) };
    },
  ),
  dockerRule(
    {
      id: 'RT-DKR-02',
      title: 'Sensitive host path or runtime socket mounted',
      severity: 'Medium',
      ...ESCAPE,
      defender: ['K8S_SensitiveMount'],
      falco: ['Launch Sensitive Mount Container'],
      remediation: 'Do not bind-mount host system paths or the runtime socket into containers.',
    },
    (e, ctx) => {
      const i = started(e);
      if (!i) return undefined;
      const sources: string[] = [
        ...(i.Mounts ?? []).filter((m: Json) => m?.Type === 'bind').map((m: Json) => String(m.Source)),
        ...(i.HostConfig?.Binds ?? []).map((b: string) => String(b).split(':')[0]!),
      ];
      const hits = [...new Set(sources)].filter((s) => {
        const src = s.replace(/\/+$/, '') || '/';
        return SENSITIVE.some((p) => p === src || (src === '/' ? true : p.startsWith(`${src}/`)));
      });
      if (hits.length === 0 || allIn([repository(image(e))], ctx.list('sensitive_mount_images')))
        return undefined;
      return { evidence: evidence(e, { mounts: hits }) };
    },
  ),
  dockerRule(
    {
      id: 'RT-DKR-03',
      title: 'Container shares host namespaces',
      severity: 'Medium',
      ...ESCAPE,
      remediation: 'Remove --network/--pid/--ipc/--uts/--userns=host unless the container is a node agent.',
    },
    (e) => {
      const h = started(e, false)?.HostConfig;
      if (!h) return undefined;
      const shared = ['NetworkMode', 'PidMode', 'IpcMode', 'UTSMode', 'UsernsMode'].filter(
        (k) => h[k] === 'host',
      );
      return shared.length > 0 ? { evidence: evidence(e, { hostNamespaces: shared }) } : undefined;
    },
  ),
  dockerRule(
    {
      id: 'RT-DKR-04',
      title: 'Container with dangerous capabilities',
      severity: 'Medium',
      ...ESCAPE,
      falco: ['Launch Excessively Capable Container'],
      remediation: 'Drop the added capabilities and keep the default seccomp and AppArmor profiles.',
    },
    (e) => {
      const h = started(e, false)?.HostConfig;
      if (!h) return undefined;
      const caps = (h.CapAdd ?? [])
        .map((c: string) => String(c).toUpperCase().replace(/^CAP_/, ''))
        .filter((c: string) => CAPS.includes(c));
      const opts = (h.SecurityOpt ?? []).filter((o: string) =>
        /(?:apparmor|seccomp)[=:]unconfined/.test(String(o)),
      );
      return caps.length > 0 || opts.length > 0
        ? { evidence: evidence(e, { capAdd: caps, securityOpt: opts }) }
        : undefined;
    },
  ),
  dockerRule(
    {
      id: 'RT-DKR-05',
      title: 'Exec into a container',
      severity: 'Low',
      tactic: 'Execution',
      technique: 'T1609 Container Administration Command',
      remediation: 'Review who may use docker exec (access to the Docker socket is root on the host).',
    },
    (e, ctx) => {
      const cmd = execCommand(e);
      if (cmd === undefined) return undefined;
      const execId = e.docker?.attributes.execID ?? `${e.docker?.id}:${e.time}`;
      if (!ctx.once(`dkr:exec:${execId}`)) return undefined;
      return {
        evidence: evidence(e, { command: cmd, user: e.docker?.execInspect?.ProcessConfig?.user }),
        key: cmd,
      };
    },
  ),
  dockerRule(
    {
      id: 'RT-DKR-06',
      title: 'Interactive shell in a container',
      severity: 'Low',
      tactic: 'Execution',
      technique: 'T1059.004; T1609',
      falco: ['Terminal shell in container'],
      remediation: 'Review why someone opened a shell in the container.',
    },
    (e) => {
      const cmd = execCommand(e);
      if (cmd === undefined) return undefined;
      const argv = cmd.split(/\s+/).filter(Boolean);
      const prog = basename(argv[0]);
      const shell = SHELLS.includes(prog) || (prog === 'busybox' && SHELLS.includes(argv[1] ?? ''));
      const tty = e.docker?.execInspect?.ProcessConfig?.tty === true;
      return (shell && !argv.includes('-c')) || tty
        ? { evidence: evidence(e, { command: cmd, tty }), key: cmd }
        : undefined;
    },
  ),
  dockerRule(
    {
      id: 'RT-DKR-07',
      title: 'Command run with high privileges in a container',
      severity: 'Low',
      tactic: 'Privilege Escalation, Execution',
      technique: 'T1611; T1609',
      defender: ['K8S.NODE_PrivilegedExecutionInContainer'],
      remediation: 'Avoid docker exec --privileged and root execs into containers that run as a user.',
    },
    (e) => {
      const cmd = execCommand(e);
      if (cmd === undefined) return undefined;
      const x = e.docker?.execInspect;
      const i = e.docker?.inspect;
      const why =
        x?.Privileged === true
          ? 'exec --privileged'
          : i?.HostConfig?.Privileged === true
            ? 'privileged container'
            : x &&
                i?.Config?.User &&
                !/^(?:0|root)(?::|$)/.test(i.Config.User) &&
                /^(?:|0|root)(?::|$)/.test(x.ProcessConfig?.user ?? '')
              ? 'root exec into a non-root container'
              : undefined;
      return why ? { evidence: evidence(e, { command: cmd, reason: why }), key: cmd } : undefined;
    },
  ),
  dockerRule(
    {
      id: 'RT-DKR-08',
      title: 'Crypto-mining image pulled or started',
      severity: 'High',
      tactic: 'Impact',
      technique: 'T1496 Resource Hijacking',
      defender: ['K8S_MaliciousContainerImage'],
      remediation: 'Remove the image and container; find who pulled it.',
    },
    (e, ctx) => {
      const d = e.docker;
      if (!d) return undefined;
      const img =
        d.type === 'image' && d.action === 'pull'
          ? d.id
          : d.type === 'container' && (d.action === 'create' || d.action === 'start')
            ? image(e)
            : '';
      if (!img) return undefined;
      const repo = repository(img).toLowerCase();
      const last = repo.slice(repo.lastIndexOf('/') + 1);
      const miner = ctx.list('miner_images').find((m) => last === m || last.startsWith(`${m}-`));
      return miner ? { evidence: { action: d.action, image: img, miner }, key: img } : undefined;
    },
  ),
  dockerRule(
    {
      id: 'RT-DKR-09',
      title: 'SSH server container',
      severity: 'Low',
      tactic: 'Persistence',
      technique: 'T1021.004 Remote Services: SSH',
      defender: ['K8S.NODE_ContainerSSH'],
      remediation: 'Remove the SSH server from the image; use docker exec for access.',
    },
    (e) => {
      const cmd = execCommand(e);
      const run =
        cmd ??
        (() => {
          const i = started(e, false);
          if (!i) return undefined;
          return [i.Path, ...(i.Args ?? []), ...(i.Config?.Entrypoint ?? []), ...(i.Config?.Cmd ?? [])]
            .filter(Boolean)
            .join(' ');
        })();
      if (!run) return undefined;
      return run.split(/\s+/).some((w) => ['sshd', 'dropbear'].includes(basename(w)))
        ? { evidence: evidence(e, { command: run }) }
        : undefined;
    },
  ),
  dockerRule(
    {
      id: 'RT-DKR-10',
      title: 'Image built or committed on the host',
      severity: 'Info',
      tactic: 'Defense Evasion',
      technique: 'T1612 Build Image on Host',
      defender: ['K8S.NODE_ImageBuildOnNode'],
      remediation: 'Build images in CI and pull them from a registry.',
    },
    (e, ctx) => {
      const d = e.docker;
      if (!d) return undefined;
      // the Engine sends `tag` before `import`/`load` of the same image: decide on a tag once 2 s have passed
      const pending = ctx.window<{ id: string; time: number; name?: string }>(
        'dkr:tags',
        e.time,
        10 * 60_000,
      );
      if (d.type === 'image' && ['pull', 'load', 'import'].includes(d.action)) {
        ctx.once(`dkr:fetched:${d.id}`);
        return undefined;
      }
      if (d.type === 'builder') return { evidence: { action: d.action } };
      if (d.type === 'container' && d.action === 'commit') return { evidence: evidence(e) };
      if (d.type === 'image' && d.action === 'tag' && !ctx.seen(`dkr:fetched:${d.id}`)) {
        ctx.window('dkr:tags', e.time, 10 * 60_000, {
          id: d.id,
          time: e.time,
          ...(d.attributes.name ? { name: d.attributes.name } : {}),
        });
        return undefined;
      }
      const due = pending.find(
        (t) =>
          t.id &&
          e.time - t.time >= 2000 &&
          !ctx.seen(`dkr:fetched:${t.id}`) &&
          ctx.once(`dkr:tagdone:${t.id}:${t.time}`),
      );
      if (!due) return undefined;
      return {
        evidence: { action: 'tag', image: due.id, name: due.name },
        resource: {
          type: 'image',
          id: due.id,
          parent: e.resource.parent ?? { type: 'host', id: e.host ?? 'localhost' },
        },
        key: due.id,
      };
    },
  ),
  dockerRule(
    {
      id: 'RT-DKR-11',
      title: 'Security agent container stopped',
      severity: 'Medium',
      tactic: 'Defense Evasion',
      technique: 'T1562.001 Disable or Modify Tools',
      defender: ['K8S.NODE_SuspectProcessTermination'],
      remediation: 'Restart the security agent and find who stopped it.',
    },
    (e, ctx) => {
      const d = e.docker;
      if (d?.type !== 'container' || !['kill', 'stop', 'die', 'pause', 'destroy'].includes(d.action))
        return undefined;
      const img = repository(image(e)).toLowerCase();
      const agent = ctx
        .list('security_agent_images')
        .find(
          (a) =>
            img === a || img.endsWith(`/${a}`) || img.slice(img.lastIndexOf('/') + 1).startsWith(`${a}-`),
        );
      return agent ? { evidence: evidence(e, { agent }), key: d.id } : undefined;
    },
  ),
];
