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
