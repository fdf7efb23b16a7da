import {
  basicEvidence,
  complete,
  isResource,
  matchesAny,
  namespace,
  ok,
  query,
  systemUser,
  user,
  verbIn,
} from './lib/k8s.js';
import type { Rule } from './types.js';

const SECRETS_T = 'T1552.007 Container API';

export const k8sAccessRules: Rule[] = [
  {
    id: 'RT-K8S-22',
    title: 'Exec or attach into a pod',
    severity: 'Low',
    tactic: 'Execution',
    technique: 'T1609 Container Administration Command',
    source: 'k8s-audit',
    resources: ['pods'],
    falco: ['Attach/Exec Pod'],
    evidence: ['user', 'namespace', 'name', 'container', 'command'],
    remediation:
      'Review who may create pods/exec and pods/attach; use ephemeral debug containers with audit instead.',
    when(e, ctx) {
      const a = e.audit;
      if (a?.objectRef?.resource !== 'pods') return undefined;
      const sub = a.objectRef.subresource;
      if ((sub !== 'exec' && sub !== 'attach') || !verbIn(a, 'create', 'get')) return undefined;
      const stage = a.stage ?? 'ResponseComplete';
      if (stage !== 'ResponseStarted' && stage !== 'ResponseComplete') return undefined;
      if (!ctx.once(`k8s:exec:${a.auditID ?? e.time}`)) return undefined;
      const q = query(a);
      const command = q.getAll('command');
      return {
        evidence: {
          ...basicEvidence(a),
          subresource: sub,
          container: q.get('container') ?? undefined,
          command,
        },
        key: `${sub} ${command.join(' ')}`,
      };
    },
  },
  {
    id: 'RT-K8S-23',
    title: 'Port-forward to a pod',
    severity: 'Low',
    tactic: 'Command and Control',
    technique: 'T1572 Protocol Tunneling',
    source: 'k8s-audit',
    resources: ['pods'],
    falco: ['port-forward'],
    evidence: ['user', 'namespace', 'name', 'ports'],
    remediation: 'Review who may create pods/portforward; expose services deliberately instead.',
    when(e, ctx) {
      const a = e.audit;
      if (a?.objectRef?.resource !== 'pods' || a.objectRef.subresource !== 'portforward') return undefined;
      if (!ctx.once(`k8s:portforward:${a.auditID ?? e.time}`)) return undefined;
      return { evidence: { ...basicEvidence(a), ports: query(a).getAll('ports') } };
    },
  },
  {
    id: 'RT-K8S-29',
    title: 'Anonymous request allowed',
    severity: 'Medium',
    tactic: 'Initial Access',
    technique: 'T1078.001 Default Accounts',
    source: 'k8s-audit',
    falco: ['Anonymous Request Allowed'],
    evidence: ['user', 'verb', 'resource', 'requestURI'],
    remediation:
      'Run the API server with --anonymous-auth=false or remove RBAC bindings for system:anonymous.',
    when(e, ctx) {
      const a = complete(e);
      if (!a || user(a) !== 'system:anonymous') return undefined;
      if (a.annotations?.['authorization.k8s.io/decision'] !== 'allow') return undefined;
      const path = (a.requestURI ?? '').split('?')[0] ?? '';
      if (ctx.list('health_endpoints').includes(path)) return undefined;
      return { evidence: { ...basicEvidence(a), requestURI: a.requestURI } };
    },
  },
  {
    id: 'RT-K8S-30',
    title: 'Request by a user outside the allowed list',
    severity: 'Medium',
    tactic: 'Initial Access',
    technique: 'T1078 Valid Accounts',
    source: 'k8s-audit',
    falco: ['Disallowed K8s User'],
    evidence: ['user', 'verb', 'resource'],
    remediation:
      'Add the user to allowed_users for this cluster if expected; otherwise revoke its credentials.',
    when(e, ctx) {
      const a = complete(e);
      if (!a || systemUser(a)) return undefined;
      const u = user(a);
      if (ctx.list('allowed_users').includes(u) || ctx.list('eks_allowed_users').includes(u))
        return undefined;
      return { evidence: basicEvidence(a), key: u };
    },
  },
  {
    id: 'RT-K8S-31',
    title: 'Request by a default administrator account (off by default)',
    severity: 'Medium',
    tactic: 'Privilege Escalation',
    technique: 'T1078.001 Default Accounts',
    source: 'k8s-audit',
    disabledByDefault: true,
    falco: ['Full K8s Administrative Access'],
    evidence: ['user', 'verb', 'resource'],
    remediation: 'Give administrators personal identities; keep the bootstrap admin credentials offline.',
    when(e, ctx) {
      const a = complete(e);
      if (!a || systemUser(a) || !ctx.list('full_admin_users').includes(user(a))) return undefined;
      return { evidence: basicEvidence(a), key: user(a) };
    },
  },
  {
    id: 'RT-K8S-33',
    title: 'API request from a TOR, anonymising-proxy or threat-intel address',
    severity: 'Low',
    tactic: 'Command and Control',
    technique: 'T1090.003 Multi-hop Proxy',
    source: 'k8s-audit',
    defender: ['K8S_TI_Proxy'],
    evidence: ['user', 'sourceIP', 'feed', 'category'],
    remediation: 'Block the address at the API server front end and review what the identity did.',
    when(e, ctx) {
      const a = complete(e);
      const ips = a?.sourceIPs ?? [];
      const all = ctx.lists.intel_all_source_ips === true;
      for (const ip of all ? ips : ips.slice(0, 1)) {
        const hit = ctx.intel.ip(ip);
        if (hit && a)
          return {
            evidence: {
              ...basicEvidence(a),
              sourceIP: ip,
              feed: hit.feed,
              category: hit.category,
              indicator: hit.indicator,
            },
            key: ip,
            severity: hit.category === 'proxy' ? 'Low' : 'High',
          };
      }
      return undefined;
    },
  },
  {
    id: 'RT-K8S-34',
    title: 'Kubernetes attack tool used against the API',
    severity: 'Low',
    tactic: 'Discovery',
    technique: 'T1613 Container and Resource Discovery',
    source: 'k8s-audit',
    defender: ['K8S_PenTestToolsKubeHunter'],
    evidence: ['user', 'userAgent', 'sourceIP'],
    remediation:
      'Find who ran the tool from the source address; revoke the credentials if it was not sanctioned.',
    when(e, ctx) {
      const a = complete(e);
      const ua = (a?.userAgent ?? '').toLowerCase();
      const tool = ctx.list('k8s_attack_tool_agents').find((t) => ua.includes(t));
      return a && tool
        ? { evidence: { ...basicEvidence(a), userAgent: a.userAgent, tool }, key: tool }
        : undefined;
    },
  },
  {
    id: 'RT-K8S-35',
    title: 'Unusual operation by a service account',
    severity: 'Medium',
    tactic: 'Lateral Movement, Credential Access',
    technique: 'T1078 Valid Accounts, T1528 Steal Application Access Token',
    source: 'k8s-audit',
    defender: ['K8S_ServiceAccountRareOperation'],
    evidence: ['user', 'verb', 'resource', 'namespace'],
    remediation: 'Check whether the workload behind the service account was compromised; tighten its RBAC.',
    when(e, ctx) {
      const a = complete(e);
      const learning = Number(ctx.lists.sa_learning_ms ?? 0);
      if (!a || learning <= 0) return undefined; // off unless a learning window (or baseline) is configured
      const u = user(a);
      if (!u.startsWith('system:serviceaccount:')) return undefined;
      const res = `${a.objectRef?.resource ?? a.requestURI}/${a.objectRef?.subresource ?? ''}`;
      const tuple = `${a.verb} ${res} ${a.objectRef?.namespace ? 'namespaced' : 'cluster'}`;
      const first = ctx.firstTime(`k8s:sa:${u}`, e.time);
      const known = ctx.seen(`k8s:sa:${u}:${tuple}`);
      ctx.once(`k8s:sa:${u}:${tuple}`);
      if (known || e.time - first < learning) return undefined;
      return { evidence: { ...basicEvidence(a), operation: tuple }, key: tuple };
    },
  },
  {
    id: 'RT-K8S-36',
    title: 'Secret read',
    severity: 'Medium',
    tactic: 'Credential Access',
    technique: SECRETS_T,
    source: 'k8s-audit',
    resources: ['secrets'],
    falco: ['K8s Secret Get Successfully'],
    evidence: ['user', 'namespace', 'name'],
    remediation: 'Check that the reader needs the secret; narrow RBAC get on secrets to named resources.',
    when(e, ctx) {
      const a = complete(e);
      if (!a || !isResource(a, 'secrets') || !verbIn(a, 'get') || !ok(a)) return undefined;
      if (matchesAny(user(a), ctx.list('secret_readers_excluded'))) return undefined;
      return { evidence: basicEvidence(a), key: user(a) };
    },
  },
  {
    id: 'RT-K8S-37',
    title: 'Secret read denied',
    severity: 'Low',
    tactic: 'Credential Access',
    technique: SECRETS_T,
    source: 'k8s-audit',
    resources: ['secrets'],
    falco: ['K8s Secret Get Unsuccessfully Tried'],
    evidence: ['user', 'namespace', 'name', 'code'],
    remediation: 'Find why the identity tried to read a secret it may not read.',
    when(e) {
      const a = complete(e);
      if (!a || !isResource(a, 'secrets') || !verbIn(a, 'get') || ok(a)) return undefined;
      return { evidence: basicEvidence(a), key: user(a) };
    },
  },
  {
    id: 'RT-K8S-38',
    title: 'Secret enumeration',
    severity: 'Medium',
    tactic: 'Credential Access, Discovery',
    technique: `${SECRETS_T}, T1613`,
    source: 'k8s-audit',
    resources: ['secrets'],
    defender: ['K8S_AnomalousSecretAccess'],
    evidence: ['user', 'namespaces'],
    remediation:
      'Review the identity: listing secrets across namespaces is reconnaissance unless it is an operator.',
    when(e, ctx) {
      const a = complete(e);
      if (!a || systemUser(a) || !isResource(a, 'secrets')) return undefined;
      const code = a.responseStatus?.code ?? 0;
      if (!(ok(a) || code === 403)) return undefined;
      if (verbIn(a, 'list', 'watch') && !a.objectRef?.namespace)
        return { evidence: { ...basicEvidence(a), scope: 'all namespaces' }, key: user(a) };
      if (!verbIn(a, 'list', 'get')) return undefined;
      const distinct = ctx.distinct(`k8s:secretns:${user(a)}`, e.time, 10 * 60_000, namespace(a));
      return distinct.length >= 3
        ? { evidence: { ...basicEvidence(a), namespaces: distinct }, key: user(a) }
        : undefined;
    },
  },
  {
    id: 'RT-K8S-42',
    title: 'Test alert for the control-plane pipeline (not a threat)',
    severity: 'Info',
    tactic: 'None',
    source: 'k8s-audit',
    evidence: ['user', 'namespace', 'requestURI'],
    remediation: 'Nothing to fix: this request exists to test that alerts reach you.',
    when(e, ctx) {
      const a = e.audit;
      if (!a || (a.stage ?? 'ResponseComplete') !== 'ResponseComplete') return undefined;
      const ns = ctx.list('alert_test_namespace');
      const hit = ns.find((n) => a.objectRef?.namespace === n || (a.requestURI ?? '').includes(n));
      return hit ? { evidence: { ...basicEvidence(a), requestURI: a.requestURI } } : undefined;
    },
  },
  {
    id: 'RT-K8S-43',
    title: 'Every audit event (debug, off)',
    severity: 'Debug',
    tactic: 'None',
    source: 'k8s-audit',
    disabledByDefault: true,
    falco: ['All K8s Audit Events'],
    evidence: ['user', 'verb', 'resource'],
    remediation: 'Debug rule: disable it again once done.',
    when(e) {
      const a = complete(e);
      return a ? { evidence: basicEvidence(a), key: a.auditID } : undefined;
    },
  },
];
