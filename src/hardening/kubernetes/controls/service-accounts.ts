import { type UserRegex, userRegex } from '../../../regex/re2.js';
import { podSpecOf } from '../objects/pod-spec.js';
import type { Parameters } from '../parameters/schema.js';
import {
  asArray,
  finding,
  get,
  isRecord,
  ns,
  onContainers,
  onKinds,
  onPod,
  records,
  str,
} from './helpers.js';
import type { Control, ControlFailure } from './types.js';

const SENSITIVE_NAME =
  /(pass(word|wd)?|secret|token|bearer|api[_-]?key|private[_-]?key|access[_-]?key|credential|^AZURE_.+KEY$|^OCI_CLI_KEY_CONTENT$|^GOOGLE_APPLICATION_CREDENTIALS$)/i;
const SENSITIVE_VALUE = [
  /AKIA[0-9A-Z]{16}/,
  /-+BEGIN\s+[A-Z ]*PRIVATE KEY-+/,
  /xox[baprs]-[0-9A-Za-z-]{10,}/,
  /gh[pousr]_[0-9A-Za-z]{36}/,
  /AIza[0-9A-Za-z_-]{35}/,
];

/** Secret-looking key/value under the scan's parameters (extra names, value patterns, allow-lists). */
function looksSecret(name: string, value: string, p: Parameters): boolean {
  if (value.trim() === '' || /^\$\(|^\$\{/.test(value)) return false;
  if (
    p.sensitiveValuesAllowed.some((a) => value.includes(a)) ||
    p.sensitiveKeyNamesAllowed.some((a) => name.toLowerCase().includes(a.toLowerCase()))
  )
    return false;
  // a file path names where the secret is, it is not the secret
  if (value.startsWith('/') && !value.includes('\n')) return false;
  if (
    SENSITIVE_VALUE.some((re) => re.test(value)) ||
    p.sensitiveValues.some((v) => safeRegex(v)?.test(value))
  )
    return true;
  const lower = name.toLowerCase();
  return SENSITIVE_NAME.test(name) || p.sensitiveKeyNames.some((k) => lower.includes(k.toLowerCase()));
}

/** Patterns are checked when the parameters load (RE2); one that still fails to compile matches nothing. */
function safeRegex(pattern: string): UserRegex | undefined {
  try {
    return userRegex(pattern, { caseInsensitive: true });
  } catch {
    return undefined;
  }
}

function podServiceAccount(spec: Record<string, unknown>): string {
  return str(spec.serviceAccountName) || str(spec.serviceAccount) || 'default';
}

export const serviceAccountControls: readonly Control[] = [
  {
    id: 'K8S-SA-01',
    title: 'Service account token automounted',
    severity: 'MEDIUM',
    standards: ['cis', 'nsa', 'best-practices'],
    scope: 'M*',
    version: 1,
    remediation:
      'Set automountServiceAccountToken: false on the pod or its ServiceAccount unless the pod calls the API.',
    check: (item, ctx) => {
      if (item.object.kind === 'ServiceAccount')
        return item.object.automountServiceAccountToken === false
          ? []
          : [finding('ServiceAccount automounts its token', 'automountServiceAccountToken')];
      const pod = podSpecOf(item.object);
      if (!pod) return null;
      const value = pod.spec.automountServiceAccountToken;
      if (value === false) return [];
      if (value === true)
        return [
          finding('pod sets automountServiceAccountToken: true', `${pod.path}.automountServiceAccountToken`),
        ];
      const sa = ctx.inventory.find('ServiceAccount', podServiceAccount(pod.spec), ns(item.object));
      return sa?.automountServiceAccountToken === false
        ? []
        : [
            finding(
              'the service account token is mounted (automountServiceAccountToken not false)',
              `${pod.path}.automountServiceAccountToken`,
            ),
          ];
    },
  },
  {
    id: 'K8S-SA-02',
    title: 'Default service account in use',
    severity: 'LOW',
    standards: ['cis'],
    scope: 'M',
    version: 1,
    remediation:
      'Create a dedicated ServiceAccount per workload; keep the default one without token automount.',
    check: (item, ctx) => {
      if (item.object.kind === 'ServiceAccount') {
        if (item.object.metadata.name !== 'default') return null;
        return item.object.automountServiceAccountToken === false
          ? []
          : [finding('default ServiceAccount automounts its token', 'automountServiceAccountToken')];
      }
      return onPod((pod) =>
        podServiceAccount(pod.spec) === 'default'
          ? [finding('pod runs as the default ServiceAccount', `${pod.path}.serviceAccountName`)]
          : [],
      )(item, ctx);
    },
  },
  {
    id: 'K8S-SA-03',
    title: 'Deprecated serviceAccount field',
    severity: 'LOW',
    standards: ['best-practices'],
    scope: 'M',
    version: 1,
    remediation: 'Use spec.serviceAccountName instead of the deprecated spec.serviceAccount.',
    check: onPod((pod) =>
      pod.spec.serviceAccount !== undefined && pod.spec.serviceAccount !== pod.spec.serviceAccountName
        ? [finding('spec.serviceAccount is deprecated', `${pod.path}.serviceAccount`)]
        : [],
    ),
  },
  {
    id: 'K8S-SA-04',
    title: 'Missing service account',
    severity: 'LOW',
    standards: ['best-practices'],
    scope: 'M*',
    version: 1,
    remediation: 'Create the ServiceAccount the pod names, or fix serviceAccountName.',
    check: onPod((pod, item, ctx) => {
      const name = podServiceAccount(pod.spec);
      const namespace = ns(item.object);
      if (name === 'default') return [];
      const known = ctx.inventory.ofKind('ServiceAccount').some((s) => ns(s.object) === namespace);
      if (!known && !ctx.params.requireServiceAccountInBundle) return [];
      return ctx.inventory.find('ServiceAccount', name, namespace)
        ? []
        : [finding(`ServiceAccount ${namespace}/${name} does not exist`, `${pod.path}.serviceAccountName`)];
    }),
  },
  {
    id: 'K8S-SA-05',
    title: 'Service account changed on update',
    severity: 'MEDIUM',
    standards: [],
    scope: 'M',
    version: 1,
    remediation: 'Change the ServiceAccount of a workload only through the deployment pipeline.',
    check: (item, ctx) => {
      if (item.admission?.operation !== 'UPDATE' || !item.admission.oldObject) return null;
      const who = [item.admission.userInfo?.username ?? '', ...(item.admission.userInfo?.groups ?? [])];
      if (who.some((w) => ctx.params.serviceAccountUpdaters.includes(w))) return [];
      const now = podSpecOf(item.object);
      const before = podSpecOf(item.admission.oldObject);
      if (!now || !before) return null;
      const a = podServiceAccount(before.spec);
      const b = podServiceAccount(now.spec);
      return a === b
        ? []
        : [finding(`serviceAccountName changed from ${a} to ${b}`, `${now.path}.serviceAccountName`)];
    },
  },
  {
    id: 'K8S-SA-06',
    title: 'Credentials in configuration',
    severity: 'HIGH',
    standards: ['nsa', 'best-practices'],
    scope: 'M',
    version: 1,
    remediation: 'Move credentials into Secrets (or an external secret store) and reference them.',
    check: (item, ctx) => {
      if (item.object.kind === 'ConfigMap') {
        const data = isRecord(item.object.data) ? item.object.data : {};
        return Object.entries(data)
          .filter(([k, v]) => typeof v === 'string' && v.length < 4096 && looksSecret(k, v, ctx.params))
          .map(([k]) => finding(`ConfigMap key ${k} looks like a credential`, `data.${k}`));
      }
      return onContainers((c) => {
        const out: ControlFailure[] = [];
        records(c.container.env).forEach((e, i) => {
          if (typeof e.value === 'string' && looksSecret(String(e.name), e.value, ctx.params))
            out.push(
              finding(
                `${c.label} env ${String(e.name)} holds a literal credential`,
                `${c.path}.env[${i}].value`,
              ),
            );
        });
        return out;
      })(item, ctx);
    },
  },
  {
    id: 'K8S-SA-07',
    title: 'Secrets exposed as environment variables',
    severity: 'LOW',
    standards: ['cis'],
    scope: 'M',
    version: 1,
    remediation: 'Mount Secrets as files instead of environment variables.',
    check: onContainers((c) => {
      const out: ControlFailure[] = [];
      records(c.container.env).forEach((e, i) => {
        if (get(e, 'valueFrom', 'secretKeyRef') !== undefined)
          out.push(
            finding(
              `${c.label} env ${String(e.name)} comes from a Secret`,
              `${c.path}.env[${i}].valueFrom.secretKeyRef`,
            ),
          );
      });
      records(c.container.envFrom).forEach((e, i) => {
        if (e.secretRef !== undefined)
          out.push(
            finding(`${c.label} imports a Secret into its environment`, `${c.path}.envFrom[${i}].secretRef`),
          );
      });
      return out;
    }),
  },
  {
    id: 'K8S-SA-08',
    title: 'No external secret store',
    severity: 'LOW',
    standards: ['cis'],
    scope: 'C',
    version: 1,
    remediation:
      'Keep secrets in an external store (KMS, Vault, cloud secret manager) through a CSI driver or operator.',
    check: onKinds(['Cluster'], (_o, _i, ctx) => {
      const external = ctx.inventory.ofKind(
        'SecretStore',
        'ClusterSecretStore',
        'SecretProviderClass',
        'ExternalSecret',
        'VaultAuth',
        'VaultStaticSecret',
      );
      return external.length ? [] : [finding('no external secret store integration found')];
    }),
  },
  {
    id: 'K8S-SA-09',
    title: 'Workload reachable to sensitive data',
    severity: 'LOW',
    standards: [],
    scope: 'M',
    version: 1,
    remediation: 'Review that the workload needs the Secrets, ConfigMaps and volumes it mounts.',
    check: onPod((pod, item, ctx) => {
      const out: ControlFailure[] = [];
      const kinds = ctx.params.sensitiveVolumeTypes;
      const mounted = new Set(
        pod.containers.flatMap((c) => records(c.container.volumeMounts).map((m) => String(m.name))),
      );
      const refKind: Record<string, [string, string]> = {
        secret: ['Secret', 'secretName'],
        configMap: ['ConfigMap', 'name'],
        persistentVolumeClaim: ['PersistentVolumeClaim', 'claimName'],
      };
      pod.volumes.forEach((v, i) => {
        if (!mounted.has(String(v.name))) return;
        for (const key of kinds) {
          if (v[key] === undefined) continue;
          const [kind, nameKey] = refKind[key] ?? ['', ''];
          const target = str(get(v, key, nameKey));
          if (
            ctx.params.requireReferencedObject &&
            (!target || !ctx.inventory.find(kind, target, ns(item.object)))
          )
            continue;
          out.push(
            finding(
              `volume "${String(v.name)}" gives access to a ${key}`,
              `${pod.path}.volumes[${i}].${key}`,
            ),
          );
        }
        if (kinds.includes('secret') && !ctx.params.requireReferencedObject)
          for (const src of records(get(v, 'projected', 'sources')))
            if (src.secret !== undefined)
              out.push(
                finding(
                  `volume "${String(v.name)}" projects a secret`,
                  `${pod.path}.volumes[${i}].projected`,
                ),
              );
      });
      return out;
    }),
  },
  {
    id: 'K8S-SA-10',
    title: 'Duplicate environment variable',
    severity: 'LOW',
    standards: ['best-practices'],
    scope: 'M',
    version: 1,
    remediation: 'Remove the duplicate env entry; only the last one takes effect.',
    check: onContainers((c) => {
      const seen = new Set<string>();
      const out: ControlFailure[] = [];
      asArray(c.container.env).forEach((e, i) => {
        const name = String(get(e, 'name'));
        if (seen.has(name))
          out.push(finding(`${c.label} sets env ${name} twice`, `${c.path}.env[${i}].name`));
        seen.add(name);
      });
      return out;
    }),
  },
];
