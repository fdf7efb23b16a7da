import type { Control, Evidence, Outcome, SwarmEvidence } from '../types.js';
import { daemonResource, define } from './helpers.js';

/** Section 7 applies only to swarm managers; elsewhere it is not applicable. */
function onSwarm(e: Evidence, fn: (s: SwarmEvidence) => Outcome): Outcome {
  if (e.swarm === null) return { status: 'not_applicable', message: 'swarm mode is not active' };
  if (!e.swarm.ok) return { status: 'error', message: e.swarm.reason };
  return fn(e.swarm.value);
}

function ctl(c: Omit<Control, 'section' | 'version' | 'legacyId'>): Control {
  return define({ ...c, legacyId: c.id, section: '7' });
}

const NINETY_DAYS_NS = 90 * 24 * 3600 * 1e9;

function wildcard(addr: string): boolean {
  const host = addr.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  return host === '' || host === '0.0.0.0' || host === '::';
}

export const section7: readonly Control[] = [
  ctl({
    id: '7.1',
    title: 'Ensure that the minimum number of manager nodes have been created in a swarm',
    level: 1,
    automated: false,
    severity: 'MEDIUM',
    remediation:
      'Run an odd number of managers, no more than needed for fault tolerance (1, 3 or 5); demote the others (docker node demote).',
    check: (e) =>
      onSwarm(e, (s) => {
        const managers = s.nodes.filter((n) => n.Spec.Role === 'manager').length || e.info.Swarm.Managers;
        const ok = managers % 2 === 1 && managers <= 7;
        return ok
          ? { status: 'pass', message: `${managers} manager(s)`, evidence: { managers } }
          : {
              status: 'fail',
              message: `${managers} managers (want an odd number, at most 7)`,
              resources: [daemonResource(e)],
              evidence: { managers },
            };
      }),
  }),
  ctl({
    id: '7.2',
    title: 'Ensure that swarm services are bound to a specific host interface',
    level: 1,
    automated: false,
    severity: 'MEDIUM',
    remediation:
      'Initialise or join the swarm with --listen-addr set to the address of the management interface, not 0.0.0.0.',
    check: (e) =>
      onSwarm(e, (s) => {
        if (!s.state.ok) return { status: 'error', message: s.state.reason };
        const listen = s.state.value.ListenAddr;
        return wildcard(listen)
          ? {
              status: 'fail',
              message: `the swarm listens on all interfaces (${listen || 'default'})`,
              resources: [daemonResource(e)],
              evidence: s.state.value,
            }
          : { status: 'pass', message: `the swarm listens on ${listen}`, evidence: s.state.value };
      }),
  }),
  ctl({
    id: '7.3',
    title: 'Ensure that all Docker swarm overlay networks are encrypted',
    level: 1,
    automated: false,
    severity: 'MEDIUM',
    remediation: 'Create overlay networks with --opt encrypted (recreate existing ones).',
    check: (e) =>
      onSwarm(e, () => {
        const overlays = e.networks.filter((n) => n.Driver === 'overlay');
        const plain = overlays.filter((n) => !('encrypted' in n.Options));
        if (plain.length === 0)
          return { status: 'pass', message: `${overlays.length} overlay network(s), all encrypted` };
        return {
          status: 'fail',
          message: `${plain.length} overlay network(s) not encrypted: ${plain.map((n) => n.Name).join(', ')}`,
          resources: plain.map((n) => ({ type: 'network' as const, id: n.Id, name: n.Name })),
          evidence: plain.map((n) => ({ network: n.Name, options: n.Options })),
        };
      }),
  }),
  ctl({
    id: '7.4',
    title: "Ensure that Docker's secret management commands are used for managing secrets in a swarm cluster",
    level: 1,
    automated: false,
    severity: 'MEDIUM',
    remediation:
      'Give services their secrets through docker secret (--secret), not environment variables or configs.',
    check: (e) =>
      onSwarm(e, (s) => ({
        status: 'manual',
        message: `review how ${s.services.length} service(s) receive their secrets`,
        evidence: s.services.map((svc) => ({
          service: svc.Spec.Name,
          secrets: svc.Spec.TaskTemplate.ContainerSpec.Secrets.map((x) => x.SecretName),
          envNames: svc.Spec.TaskTemplate.ContainerSpec.Env.map((v) => v.split('=')[0]),
        })),
      })),
  }),
  ctl({
    id: '7.5',
    title: 'Ensure that swarm manager is run in auto-lock mode',
    level: 1,
    automated: false,
    severity: 'MEDIUM',
    remediation:
      'Turn on auto-lock (docker swarm update --autolock=true) and keep the unlock key outside the host.',
    check: (e) =>
      onSwarm(e, (s) =>
        s.swarm.Spec.EncryptionConfig.AutoLockManagers
          ? { status: 'pass', message: 'auto-lock is on' }
          : {
              status: 'fail',
              message: 'auto-lock is off',
              resources: [daemonResource(e)],
              evidence: { autoLockManagers: false },
            },
      ),
  }),
  ctl({
    id: '7.6',
    title: 'Ensure that the swarm manager auto-lock key is rotated periodically',
    level: 1,
    automated: false,
    severity: 'LOW',
    remediation: 'Rotate the unlock key periodically (docker swarm unlock-key --rotate) and record when.',
    check: (e) =>
      onSwarm(e, (s) => ({
        status: 'manual',
        message: 'check the unlock-key rotation records (the API keeps no rotation time)',
        evidence: { autoLockManagers: s.swarm.Spec.EncryptionConfig.AutoLockManagers },
      })),
  }),
  ctl({
    id: '7.7',
    title: 'Ensure that node certificates are rotated as appropriate',
    level: 1,
    automated: false,
    severity: 'LOW',
    remediation:
      'Set the node certificate expiry to your policy (docker swarm update --cert-expiry, 90 days by default or less).',
    check: (e) =>
      onSwarm(e, (s) => {
        const expiry = s.swarm.Spec.CAConfig.NodeCertExpiry;
        const days = expiry / (24 * 3600 * 1e9);
        return {
          status: 'manual',
          message: `node certificates expire after ${days} day(s)${expiry > NINETY_DAYS_NS ? ' (longer than the 90-day default)' : ''}: confirm against your policy`,
          evidence: { nodeCertExpiryDays: days },
        };
      }),
  }),
  ctl({
    id: '7.8',
    title: 'Ensure that CA certificates are rotated as appropriate',
    level: 1,
    automated: false,
    severity: 'LOW',
    remediation: 'Rotate the swarm root CA periodically (docker swarm ca --rotate) and record when.',
    check: (e) =>
      onSwarm(e, (s) => ({
        status: 'manual',
        message: 'check the CA rotation records (the API keeps no rotation time)',
        evidence: { swarm: s.swarm.ID },
      })),
  }),
  ctl({
    id: '7.9',
    title: 'Ensure that management plane traffic is separated from data plane traffic',
    level: 1,
    automated: false,
    severity: 'LOW',
    remediation: 'Initialise or join with --data-path-addr on a different interface than --advertise-addr.',
    check: (e) =>
      onSwarm(e, (s) => ({
        status: 'manual',
        message: s.state.ok
          ? `management ${s.state.value.AdvertiseAddr || '?'}, data path ${s.state.value.DataPathAddr || 'same as management'}: confirm they are separate networks`
          : `addresses unavailable: ${s.state.reason}`,
        evidence: s.state.ok ? s.state.value : null,
      })),
  }),
];
