import { normaliseReference } from '../../../image/reference-name.js';
import { podSpecOf } from '../objects/pod-spec.js';
import {
  asArray,
  finding,
  get,
  glob,
  onContainers,
  onKinds,
  onPod,
  parseImage,
  records,
  str,
} from './helpers.js';
import type { Control, ControlFailure } from './types.js';

const PUBLIC_REGISTRIES = [
  'docker.io',
  'registry.k8s.io',
  'k8s.gcr.io',
  'gcr.io',
  'quay.io',
  'ghcr.io',
  'mcr.microsoft.com',
  'public.ecr.aws',
  'registry.hub.docker.com',
];

/** Registry host of an image, or undefined for Docker Hub short names. */
export function registryOf(image: string): string | undefined {
  const first = image.split('/')[0]!;
  return image.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost')
    ? first
    : undefined;
}

/** Known-vulnerable component versions: [image pattern, fixed-in predicate, what]. */
const VULNERABLE_COMPONENTS: readonly {
  match: RegExp;
  vulnerable: (v: number[]) => boolean;
  what: string;
}[] = [
  {
    match: /ingress-nginx\/controller/,
    vulnerable: (v) => lt(v, [1, 11, 0]),
    what: 'ingress-nginx controller end of life / snippet annotation CVE-2021-25742',
  },
  {
    match: /argoproj\/argocd|argocd/,
    vulnerable: (v) => lt(v, [2, 1, 9]) || (v[0] === 2 && v[1] === 2 && lt(v, [2, 2, 4])),
    what: 'Argo CD CVE-2022-24348',
  },
  {
    match: /grafana\/grafana/,
    vulnerable: (v) => v[0] === 9 && v[1] === 2 && (v[2] ?? 0) < 4,
    what: 'Grafana CVE-2022-39328',
  },
  {
    match: /kyverno\/kyverno/,
    vulnerable: (v) => v[0] === 1 && v[1] === 8 && ((v[2] ?? 0) === 3 || (v[2] ?? 0) === 4),
    what: 'Kyverno CVE-2022-47633',
  },
];

function lt(a: number[], b: number[]): boolean {
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) < (b[i] ?? 0);
  return false;
}

function versionOf(tag: string | undefined): number[] | undefined {
  const m = tag ? /^v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(tag) : null;
  return m ? [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] : undefined;
}

function imageOf(c: { container: Record<string, unknown> }): string | undefined {
  return str(c.container.image);
}

const DIGEST_LENGTHS: Readonly<Record<string, number>> = { sha256: 64, sha384: 96, sha512: 128, blake3: 64 };

/** `image@algorithm:hex` with the length the algorithm requires (other algorithms: any hex digest). */
function pinned(image: string): boolean {
  const m = /@([a-z0-9]+(?:[.+_-][a-z0-9]+)*):([0-9a-f]+)$/.exec(image);
  if (!m) return false;
  const want = DIGEST_LENGTHS[m[1]!];
  return want === undefined ? m[2]!.length > 0 : m[2]!.length === want;
}

/** The normalised reference of an image (`docker.io/library/nginx:latest`, digest appended). */
function normalised(image: string): string {
  const { name, digest } = normaliseReference(image);
  return digest ? `${name}@${digest}` : name;
}

/** An allowedRegistries / disallowedRegistries entry: a raw prefix, or with `*` a glob over the registry host. */
function fromRegistry(entry: string, image: string): boolean {
  if (!entry.includes('*')) return image.startsWith(entry);
  const host = normalised(image).split('/')[0]!;
  return glob(entry.replace(/\/+$/, ''), host);
}

/** Repository part of a normalised reference (tag and digest dropped). */
const repositoryOf = (reference: string) => reference.replace(/@.*$/, '').replace(/:[^/]*$/, '');

/**
 * An allowedImages / deniedImages entry: with `*` a glob over the normalised reference; else one image, spelled
 * any way (`nginx` = `docker.io/library/nginx`), and an entry without tag or digest covers every tag.
 */
function isImage(entry: string, image: string): boolean {
  if (entry.includes('*')) return glob(entry, normalised(image));
  const tagged = entry.includes('@') || /:[^/]*$/.test(entry);
  return tagged
    ? normalised(entry) === normalised(image)
    : repositoryOf(normalised(entry)) === repositoryOf(normalised(image));
}

export const imageControls: readonly Control[] = [
  {
    id: 'K8S-IMG-01',
    title: 'Image from a non-approved registry',
    severity: 'HIGH',
    standards: [],
    scope: 'M',
    version: 1,
    remediation:
      'Pull images only from the approved registries and images (parameters allowedRegistries, allowedImages).',
    check: (item, ctx) => {
      const { allowedRegistries: registries, allowedImages: images } = ctx.params;
      if (registries.length === 0 && images.length === 0) return null;
      return onContainers((c) => {
        const image = imageOf(c) ?? '';
        if (registries.length && !registries.some((p) => fromRegistry(p, image)))
          return finding(`${c.label} image ${image} is not from an allowed registry`, `${c.path}.image`);
        if (images.length && !images.some((p) => isImage(p, image)))
          return finding(`${c.label} image ${image} is not an allowed image`, `${c.path}.image`);
        return undefined;
      })(item, ctx);
    },
  },
  {
    id: 'K8S-IMG-02',
    title: 'Image from a forbidden registry',
    severity: 'HIGH',
    standards: [],
    scope: 'M',
    version: 1,
    remediation:
      'Replace images from forbidden registries and forbidden images (parameters disallowedRegistries, deniedImages).',
    check: (item, ctx) => {
      const { disallowedRegistries: registries, deniedImages: images } = ctx.params;
      if (registries.length === 0 && images.length === 0) return null;
      return onContainers((c) => {
        const image = imageOf(c) ?? '';
        if (registries.some((p) => fromRegistry(p, image)))
          return finding(`${c.label} image ${image} is from a forbidden registry`, `${c.path}.image`);
        if (images.some((p) => isImage(p, image)))
          return finding(`${c.label} image ${image} is a forbidden image`, `${c.path}.image`);
        return undefined;
      })(item, ctx);
    },
  },
  {
    id: 'K8S-IMG-03',
    title: 'Mutable or missing image tag',
    severity: 'MEDIUM',
    standards: ['best-practices'],
    scope: 'M',
    version: 1,
    remediation: 'Use an explicit, immutable version tag (or a digest), never latest.',
    check: onContainers((c, _p, ctx) => {
      const image = imageOf(c);
      if (image === undefined) return undefined;
      const { tag, digest } = parseImage(image);
      if (digest) return undefined;
      if (!tag) return finding(`${c.label} image ${image} has no tag`, `${c.path}.image`);
      if (ctx.params.disallowedTags.includes(tag))
        return finding(`${c.label} image uses tag ${tag}`, `${c.path}.image`);
      return undefined;
    }),
  },
  {
    id: 'K8S-IMG-04',
    title: 'Image not pinned by digest',
    severity: 'LOW',
    standards: [],
    scope: 'M',
    version: 1,
    remediation: 'Reference images by digest (image@sha256:…) so that what runs is what was reviewed.',
    check: onContainers((c, _pod, ctx) => {
      const image = imageOf(c);
      if (image === undefined || pinned(image)) return undefined;
      // an exempt repository covers its own path only: `internal` exempts internal/app, not internal-x/app
      const repository = image.replace(/@.*$/, '').replace(/:[^/:]*$/, '');
      if (ctx.params.digestExemptRepositories.some((r) => repository === r || repository.startsWith(`${r}/`)))
        return undefined;
      return finding(`${c.label} image ${image} is not pinned by digest`, `${c.path}.image`);
    }),
  },
  {
    id: 'K8S-IMG-05',
    title: 'Pull policy',
    severity: 'LOW',
    standards: ['best-practices'],
    scope: 'M',
    version: 1,
    remediation: 'Set imagePullPolicy: Always for mutable tags and images pulled with credentials.',
    check: onContainers((c, pod, ctx) => {
      const image = imageOf(c);
      if (image === undefined) return undefined;
      const { tag, digest } = parseImage(image);
      // mutable: untagged or a tag that counts as floating (disallowedTags, default latest)
      const mutable = !digest && (!tag || ctx.params.disallowedTags.includes(tag));
      // Kubernetes defaults the policy to Always for :latest and untagged images, IfNotPresent otherwise
      const defaultsToAlways = !digest && (!tag || tag === 'latest');
      const policy =
        str(c.container.imagePullPolicy) ??
        (ctx.params.pullPolicyDefaulting ? (defaultsToAlways ? 'Always' : 'IfNotPresent') : undefined);
      const allowed = ctx.params.allowedPullPolicies;
      if (allowed.length > 0)
        return policy !== undefined && allowed.includes(policy)
          ? undefined
          : finding(
              `${c.label} imagePullPolicy ${policy ?? 'unset'} is not allowed`,
              `${c.path}.imagePullPolicy`,
            );
      const withSecrets = asArray(pod.spec.imagePullSecrets).length > 0;
      if ((mutable || withSecrets) && policy !== 'Always')
        return finding(
          `${c.label} imagePullPolicy ${policy ?? 'unset'} with ${mutable ? 'a mutable tag' : 'pull secrets'}`,
          `${c.path}.imagePullPolicy`,
        );
      return undefined;
    }),
  },
  {
    id: 'K8S-IMG-06',
    title: 'Private image pulled without pull secret',
    severity: 'LOW',
    standards: [],
    scope: 'M*',
    version: 1,
    remediation: 'Give the pod (or its ServiceAccount) imagePullSecrets for private registries.',
    check: onPod((pod, item, ctx) => {
      if (asArray(pod.spec.imagePullSecrets).length > 0) return [];
      const saName = str(pod.spec.serviceAccountName) ?? 'default';
      const sa = ctx.inventory.find('ServiceAccount', saName, item.object.metadata.namespace ?? 'default');
      if (sa && asArray(sa.imagePullSecrets).length > 0) return [];
      const out: ControlFailure[] = [];
      for (const c of pod.containers) {
        const registry = registryOf(imageOf(c) ?? '');
        if (registry && !PUBLIC_REGISTRIES.includes(registry) && !registry.endsWith('.pkg.dev'))
          out.push(finding(`${c.label} pulls from ${registry} without imagePullSecrets`, `${c.path}.image`));
      }
      return out;
    }),
  },
  {
    id: 'K8S-IMG-07',
    title: 'Deprecated image registry',
    severity: 'LOW',
    standards: ['best-practices'],
    scope: 'M',
    version: 1,
    remediation: 'Pull Kubernetes project images from registry.k8s.io instead of the frozen k8s.gcr.io.',
    check: onContainers((c) =>
      (imageOf(c) ?? '').startsWith('k8s.gcr.io/')
        ? finding(`${c.label} uses k8s.gcr.io`, `${c.path}.image`)
        : undefined,
    ),
  },
  {
    id: 'K8S-IMG-08',
    title: 'Image signature / provenance not verified',
    severity: 'HIGH',
    standards: ['cis'],
    scope: 'C',
    version: 1,
    remediation:
      'Verify image signatures at admission (ImagePolicyWebhook, Kyverno verifyImages, sigstore policy-controller, Ratify).',
    check: onKinds(['Cluster'], (_o, _i, ctx) => {
      const inv = ctx.inventory;
      const verifying =
        inv.ofKind('ClusterImagePolicy', 'ImagePolicy', 'Verifier').length > 0 ||
        inv
          .ofKind('ClusterPolicy', 'Policy')
          .some((p) => records(get(p.object, 'spec', 'rules')).some((r) => r.verifyImages !== undefined)) ||
        apiServerFlags(ctx.inventory)
          .get('--enable-admission-plugins')
          ?.split(',')
          .includes('ImagePolicyWebhook') === true;
      return verifying ? [] : [finding('no image signature verification at admission')];
    }),
  },
  {
    id: 'K8S-IMG-09',
    title: 'Vulnerable image admitted or running',
    severity: 'HIGH',
    standards: ['nsa'],
    scope: 'C',
    version: 1,
    remediation: 'Rebuild or upgrade images with findings above the threshold (bulkhead image scan).',
    check: onContainers((c, _p, ctx) => {
      const image = imageOf(c);
      return image && ctx.params.vulnerableImages.includes(image)
        ? finding(`${c.label} image ${image} has vulnerabilities above the threshold`, `${c.path}.image`)
        : undefined;
    }),
  },
  {
    id: 'K8S-IMG-10',
    title: 'Known-vulnerable component version',
    severity: 'HIGH',
    standards: ['nsa'],
    scope: 'M',
    version: 1,
    remediation: 'Upgrade the component past the fixed release; disable ingress-nginx snippet annotations.',
    check: (item, ctx) => {
      if (item.object.kind === 'ConfigMap') {
        const snippets = get(item.object, 'data', 'allow-snippet-annotations');
        const isNginx = /ingress-nginx|nginx-configuration|nginx-ingress/.test(
          item.object.metadata.name ?? '',
        );
        if (!isNginx) return null;
        return snippets === 'true'
          ? [
              finding(
                'ingress-nginx allows snippet annotations (CVE-2021-25742)',
                'data.allow-snippet-annotations',
              ),
            ]
          : [];
      }
      return onContainers((c) => {
        const image = imageOf(c) ?? '';
        const { repo, tag } = parseImage(image);
        const v = versionOf(tag);
        const hit = VULNERABLE_COMPONENTS.find((x) => x.match.test(repo));
        return hit && v && hit.vulnerable(v)
          ? finding(`${c.label} runs ${image}: ${hit.what}`, `${c.path}.image`)
          : undefined;
      })(item, ctx);
    },
  },
];

/** Flags of the kube-apiserver static pod of the inventory (`--flag` → value). */
export function apiServerFlags(inventory: {
  ofKind(...k: string[]): { object: unknown }[];
  cached<T>(k: string, b: () => T): T;
}): Map<string, string> {
  return inventory.cached('apiserver-flags', () => {
    const flags = new Map<string, string>();
    for (const p of inventory.ofKind('Pod')) {
      const pod = podSpecOf(p.object as never);
      for (const c of pod?.containers ?? []) {
        const words = [...asArray(c.container.command), ...asArray(c.container.args)].map(String);
        if (!words.some((w) => w.endsWith('kube-apiserver'))) continue;
        for (const w of words) {
          const m = /^(--[\w-]+)(?:=(.*))?$/.exec(w);
          if (m) flags.set(m[1]!, m[2] ?? 'true');
        }
        flags.set('(present)', 'true');
      }
    }
    return flags;
  });
}
