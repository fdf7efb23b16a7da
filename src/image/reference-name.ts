const SCHEME = /^(?:[a-z][a-z0-9+.-]*:\/\/|docker:|registry:|oci:)/;

/**
 * A reference in one spelling: without transport prefix, Docker Hub made explicit
 * (`nginx` → `docker.io/library/nginx:latest`), digest kept apart.
 * @example normaliseReference('docker://nginx:1.25') // { name: 'docker.io/library/nginx:1.25' }
 */
export function normaliseReference(image: string): { name: string; digest?: string } {
  let ref = image.trim().replace(SCHEME, '');
  let digest: string | undefined;
  const at = ref.indexOf('@');
  if (at >= 0) {
    digest = ref.slice(at + 1);
    ref = ref.slice(0, at);
  }
  const slash = ref.indexOf('/');
  const first = slash >= 0 ? ref.slice(0, slash) : '';
  const hasRegistry = slash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (!hasRegistry) ref = `docker.io/${slash >= 0 ? ref : `library/${ref}`}`;
  else if (first === 'index.docker.io') ref = `docker.io${ref.slice(first.length)}`;
  const lastSlash = ref.lastIndexOf('/');
  if (!ref.slice(lastSlash + 1).includes(':') && !digest) ref = `${ref}:latest`;
  return { name: ref, ...(digest ? { digest } : {}) };
}

/**
 * Where an image reference lives: the registry as `host[:port]` (Docker Hub always `docker.io`) and the repository
 * path, without tag or digest. The center files images by these two.
 * @example imageLocation('nginx:1.25') // { registry: 'docker.io', repository: 'library/nginx' }
 * @example imageLocation('127.0.0.1:5000/app@sha256:ab…') // { registry: '127.0.0.1:5000', repository: 'app' }
 */
export function imageLocation(reference: string): { registry: string; repository: string } {
  const { name } = normaliseReference(reference);
  const slash = name.indexOf('/');
  let registry = name.slice(0, slash).toLowerCase();
  if (registry === 'registry-1.docker.io' || registry === 'index.docker.io') registry = 'docker.io';
  const path = name.slice(slash + 1);
  const lastSlash = path.lastIndexOf('/');
  const colon = path.indexOf(':', lastSlash + 1);
  return { registry, repository: colon >= 0 ? path.slice(0, colon) : path };
}
