import type { Kysely } from 'kysely';
import { atLeast, isSeverity, type Severity } from '../core/severity.js';
import { type LoadedObject, matchExceptions, podSpecOf } from '../hardening/kubernetes/index.js';
import { normaliseReference } from '../image/reference-name.js';
import { type ImageFindings, latestImageFindings } from '../store/image-verdicts.js';
import type { Database } from '../store/schema.js';
import type { AdmissionPolicy, Violation, VulnerabilityGate } from './policy.js';

/** The control the gate reports under (catalogue: "Vulnerable image admitted or running"). */
export { normaliseReference };

export const VULNERABILITY_CONTROL = 'K8S-IMG-09';

/** Stored scans by digest and by normalised reference; built off the request path and swapped whole. */
export interface VulnerabilityIndex {
  lookup(image: string): ImageFindings | undefined;
  size: number;
}

/** Index stored scans: an image spec matches by digest first, else by reference. */
export function vulnerabilityIndex(images: readonly ImageFindings[]): VulnerabilityIndex {
  const byDigest = new Map<string, ImageFindings>();
  const byName = new Map<string, ImageFindings>();
  // Newest first from the store: keep the first seen per key.
  for (const image of images) {
    if (image.digest && !byDigest.has(image.digest)) byDigest.set(image.digest, image);
    const { name, digest } = normaliseReference(image.reference);
    if (digest && !byDigest.has(digest)) byDigest.set(digest, image);
    if (!byName.has(name)) byName.set(name, image);
  }
  return {
    size: images.length,
    lookup(image) {
      const { name, digest } = normaliseReference(image);
      if (digest) return byDigest.get(digest);
      return byName.get(name);
    },
  };
}

/**
 * The gate on one admitted object with a pod spec: each image with stored findings at or above the gate's
 * severity (minus findings an active exception covers: `id` = the vulnerability id or K8S-IMG-09, scoped like
 * any posture exception) is a violation; an image no scan knows follows `unknownImages`.
 */
export function vulnerabilityViolations(
  item: LoadedObject,
  gate: VulnerabilityGate,
  index: VulnerabilityIndex | undefined,
  policy: Pick<AdmissionPolicy, 'exceptions'>,
  now: Date,
): Violation[] {
  const pod = podSpecOf(item.object);
  if (!pod) return [];
  if (matchExceptions(policy.exceptions, VULNERABILITY_CONTROL, item.object, now).active) return [];
  const out: Violation[] = [];
  const images = [
    ...new Set(pod.containers.map((c) => c.container.image).filter((i) => typeof i === 'string')),
  ];
  for (const image of images as string[]) {
    const stored = index?.lookup(image);
    if (!stored) {
      if (gate.unknownImages !== 'allow')
        out.push({
          control: VULNERABILITY_CONTROL,
          severity: 'HIGH',
          message: `image ${image} has no stored scan (bulkhead image scan)`,
          action: gate.unknownImages,
        });
      continue;
    }
    const over = stored.findings.filter((f) => {
      const severity: Severity = isSeverity(f.severity) ? f.severity : 'UNKNOWN';
      return (
        atLeast(severity, gate.severity) && !matchExceptions(policy.exceptions, f.id, item.object, now).active
      );
    });
    if (over.length === 0) continue;
    const ids = [...new Set(over.map((f) => f.id))];
    out.push({
      control: VULNERABILITY_CONTROL,
      severity: 'HIGH',
      message: `image ${image} has ${ids.length} vulnerabilit${ids.length === 1 ? 'y' : 'ies'} at or above ${
        gate.severity
      } (${ids.slice(0, 3).join(', ')}${ids.length > 3 ? ', …' : ''})`,
      action: gate.action,
    });
  }
  return out;
}

/** The vulnerability index of the newest stored image scans, for policies with a vulnerability gate. */
export async function storedVulnerabilityIndex(db: Kysely<Database>): Promise<VulnerabilityIndex> {
  return vulnerabilityIndex(await latestImageFindings(db));
}
