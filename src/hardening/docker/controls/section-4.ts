import type { Control, Evidence, ImageEvidence } from '../types.js';
import { define, imageResource, isRootUser, perContainer, perImage } from './helpers.js';

function ctl(c: Omit<Control, 'section' | 'version' | 'legacyId'>): Control {
  return define({ ...c, legacyId: c.id, section: '4' });
}

/** A RUN step of the history, without the shell wrapper and build-arg prefix. */
function runCommand(createdBy: string): string | null {
  let text = createdBy.trim();
  if (/#\(nop\)/.test(text)) return null; // metadata instruction of the classic builder
  text = text.replace(/^RUN\s+/, '').replace(/\s*# buildkit$/, '');
  text = text.replace(/^\|\d+\s+(?:\S+=\S*\s+)*/, ''); // "|1 ARG=value …" prefix of RUN with build args
  text = text.replace(/^\/bin\/(?:ba)?sh -c\s+/, '');
  return text;
}

/** The metadata instruction of a history entry (ADD, COPY, ENV…), for the classic builder and BuildKit. */
function instruction(createdBy: string): string {
  const nop = /#\(nop\)\s+(.*)$/s.exec(createdBy);
  return (nop ? nop[1]! : createdBy).trim();
}

const UPDATE = /\b(apt-get|apt|apk|yum|dnf|microdnf|zypper)\b[^;&|]*\b(update|makecache|refresh)\b/;
const INSTALL = /\b(install|add|upgrade|dist-upgrade)\b/;

function historyOf(i: ImageEvidence) {
  return i.history.ok ? i.history.value : null;
}

const SECRET_NAME = /(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|CREDENTIAL)/i;

function secrets(i: ImageEvidence): string[] {
  const found = new Map<string, string>();
  for (const env of i.inspect.Config.Env) {
    const [name, value] = [env.slice(0, env.indexOf('=')), env.slice(env.indexOf('=') + 1)];
    if (SECRET_NAME.test(name) && value !== '') found.set(name, `ENV ${name}`);
  }
  for (const h of historyOf(i) ?? []) {
    for (const m of h.CreatedBy.matchAll(/(?:^|\s|\|\d+\s)([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|\S+)/g)) {
      const name = m[1]!;
      if (SECRET_NAME.test(name) && m[2] !== '""' && !found.has(name))
        found.set(name, `ARG ${name} (build history)`);
    }
  }
  return [...found.values()].sort();
}

function trustEnabled(e: Evidence): boolean {
  return e.host.contentTrust.some((c) => c.value === '1' || c.value?.toLowerCase() === 'true');
}

function images(e: Evidence, what: string) {
  return {
    resources: e.images.map(imageResource),
    evidence: e.images.map((i) => ({
      image: imageResource(i).name,
      id: i.inspect.Id,
      ...(what === 'digests'
        ? { repoDigests: i.inspect.RepoDigests, created: i.inspect.Created }
        : { created: i.inspect.Created }),
    })),
  };
}

export const section4: readonly Control[] = [
  ctl({
    id: '4.1',
    title: 'Ensure that a user for the container has been created',
    level: 1,
    automated: false,
    severity: 'MEDIUM',
    remediation:
      'Create an unprivileged user in the image and set it with USER (or run the container with --user UID:GID).',
    check: (e) => {
      const images = perImage(
        e,
        (i) =>
          isRootUser(i.inspect.Config.User)
            ? `image user "${i.inspect.Config.User || 'root (default)'}"`
            : null,
        'a non-root USER is set',
      );
      const containers = perContainer(
        e,
        (c) =>
          isRootUser(c.inspect.Config.User) ? `runs as "${c.inspect.Config.User || 'root (default)'}"` : null,
        'run as non-root',
      );
      const statuses = [images.status, containers.status];
      const status = statuses.includes('error') ? 'error' : statuses.includes('fail') ? 'fail' : 'pass';
      return {
        status,
        message: `images: ${images.message}; containers: ${containers.message}`,
        resources: [...(images.resources ?? []), ...(containers.resources ?? [])],
        evidence: { images: images.evidence ?? null, containers: containers.evidence ?? null },
      };
    },
  }),
  ctl({
    id: '4.2',
    title: 'Ensure that containers use only trusted base images',
    level: 1,
    automated: false,
    severity: 'MEDIUM',
    remediation:
      'Pull images only from registries and publishers you trust (official images, your own registry) and pin them by digest.',
    check: (e) => ({
      status: 'manual',
      message: `review the origin of ${e.images.length} image(s)`,
      ...images(e, 'digests'),
    }),
  }),
  ctl({
    id: '4.3',
    title: 'Ensure that unnecessary packages are not installed in the container',
    level: 1,
    automated: false,
    severity: 'LOW',
    remediation:
      'Build from minimal bases (distroless, slim, scratch) and install only what the application needs at run time; review the SBOM (bulkhead sbom).',
    check: (e) => ({
      status: 'manual',
      message: `review the packages of ${e.images.length} image(s) (bulkhead sbom IMAGE)`,
      ...images(e, 'created'),
    }),
  }),
  ctl({
    id: '4.4',
    title: 'Ensure images are scanned and rebuilt to include security patches',
    level: 1,
    automated: false,
    severity: 'HIGH',
    remediation:
      'Scan every image (bulkhead image scan) and rebuild those with fixable vulnerabilities; rebuild regularly to pick up base-image patches.',
    check: (e) => ({
      status: 'manual',
      message: `scan ${e.images.length} image(s) with bulkhead image scan and rebuild the old ones`,
      ...images(e, 'created'),
    }),
  }),
  ctl({
    id: '4.5',
    title: 'Ensure Content trust for Docker is Enabled',
    level: 2,
    automated: false,
    severity: 'MEDIUM',
    remediation:
      'Export DOCKER_CONTENT_TRUST=1 for every docker client on the host (e.g. in /etc/environment), or enforce signature verification in the registry/admission path.',
    check: (e) =>
      trustEnabled(e)
        ? { status: 'pass', message: 'DOCKER_CONTENT_TRUST=1 is set', evidence: e.host.contentTrust }
        : {
            status: 'fail',
            message: 'DOCKER_CONTENT_TRUST is not enabled for docker clients on this host',
            resources: [{ type: 'host', id: e.host.hostname, name: 'docker-cli' }],
            evidence: e.host.contentTrust,
          },
  }),
  ctl({
    id: '4.6',
    title: 'Ensure that HEALTHCHECK instructions have been added to container images',
    level: 1,
    automated: false,
    severity: 'LOW',
    remediation: 'Add a HEALTHCHECK instruction that probes the service to the Dockerfile.',
    check: (e) =>
      perImage(
        e,
        (i) => {
          const test = i.inspect.Config.Healthcheck?.Test ?? [];
          if (test.length === 0) return 'no HEALTHCHECK';
          return test[0] === 'NONE' ? 'HEALTHCHECK NONE' : null;
        },
        'HEALTHCHECK present',
      ),
  }),
  ctl({
    id: '4.7',
    title: 'Ensure update instructions are not used alone in Dockerfiles',
    level: 1,
    automated: false,
    severity: 'LOW',
    remediation:
      'Run the package index update and the install in one RUN instruction (apt-get update && apt-get install -y …) so that a cached update layer is never reused with a later install.',
    check: (e) =>
      perImage(
        e,
        (i) => {
          const history = historyOf(i);
          if (!history) return { error: i.history.ok ? 'no history' : i.history.reason };
          const alone = history
            .map((h) => runCommand(h.CreatedBy))
            .filter(
              (cmd): cmd is string =>
                cmd !== null && UPDATE.test(cmd) && !INSTALL.test(cmd.replace(UPDATE, '')),
            );
          return alone.length ? `RUN ${alone[0]}` : null;
        },
        'no update instruction on its own',
      ),
  }),
  ctl({
    id: '4.8',
    title: 'Ensure setuid and setgid permissions are removed',
    level: 2,
    automated: false,
    severity: 'MEDIUM',
    remediation:
      'Remove setuid/setgid bits the application does not need in the Dockerfile (e.g. RUN find / -xdev -perm /6000 -type f -exec chmod a-s {} +).',
    check: (e) =>
      perImage(
        e,
        (i) => {
          if (i.setuidFiles === null) return { error: 'image files were not examined' };
          if (!i.setuidFiles.ok) return { error: i.setuidFiles.reason };
          const files = i.setuidFiles.value;
          return files.length
            ? `${files.length} setuid/setgid file(s): ${files.slice(0, 5).join(', ')}`
            : null;
        },
        'no setuid/setgid files',
      ),
  }),
  ctl({
    id: '4.9',
    title: 'Ensure that COPY is used instead of ADD in Dockerfiles',
    level: 1,
    automated: false,
    severity: 'LOW',
    remediation:
      'Use COPY for local files; fetch remote content with a verified download in RUN instead of ADD.',
    check: (e) =>
      perImage(
        e,
        (i) => {
          const history = historyOf(i);
          if (!history) return { error: i.history.ok ? 'no history' : i.history.reason };
          // oldest first; the base image's root file system import (`ADD file:… in /` as first step) is not ours
          const steps = [...history].reverse().map((h) => instruction(h.CreatedBy));
          const adds = steps.filter(
            (s, index) => /^ADD\s/.test(s) && !(index === 0 && /\sin \/\s*$/.test(s)),
          );
          return adds.length ? `${adds.length} ADD instruction(s): ${adds[0]}` : null;
        },
        'no ADD instruction',
      ),
  }),
  ctl({
    id: '4.10',
    title: 'Ensure secrets are not stored in Dockerfiles',
    level: 1,
    automated: false,
    severity: 'HIGH',
    remediation:
      'Pass secrets at build time with BuildKit secret mounts (RUN --mount=type=secret) and at run time through a secret store, never ENV or ARG.',
    check: (e) =>
      perImage(
        e,
        (i) => {
          if (!i.history.ok) return { error: i.history.reason };
          const found = secrets(i);
          return found.length ? found.join(', ') : null;
        },
        'no secret-like ENV or build argument',
      ),
  }),
  ctl({
    id: '4.11',
    title: 'Ensure only verified packages are installed',
    level: 2,
    automated: false,
    severity: 'MEDIUM',
    remediation:
      'Install packages only through package managers with signature checks on (no --allow-unauthenticated, gpgcheck=1) from trusted repositories.',
    check: (e) => ({
      status: 'manual',
      message: `review how packages are installed in ${e.images.length} image(s)`,
      ...images(e, 'created'),
    }),
  }),
  ctl({
    id: '4.12',
    title: 'Ensure all signed artifacts are validated',
    level: 1,
    automated: false,
    severity: 'MEDIUM',
    remediation:
      'Verify image signatures or attestations (content trust, cosign, notation) before images are run.',
    check: (e) => ({
      status: 'manual',
      message: `check signature verification for ${e.images.length} image(s)`,
      ...images(e, 'digests'),
    }),
  }),
];
