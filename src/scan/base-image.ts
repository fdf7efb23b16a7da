import { isOsPackageType, type VulnerabilityFinding } from '../core/results.js';
import type { ScanInput } from './types.js';

/** A newer image of the same base repository that the store holds with fewer OS findings. */
export interface BaseAdvice {
  /** The image to rebuild on, as it was scanned (e.g. `debian:12.8`). */
  name: string;
  /** Its digest, when the store has it. */
  digest?: string;
  /** Its OS findings. */
  findings: number;
  /** How many fewer OS findings than this image's base (negative). */
  change: number;
}

/** The `baseImage` of an ImageScan: which image this one was built on, and what of its OS findings it brought. */
export interface BaseImage {
  name?: string;
  digest?: string;
  /** The OS as os-release names it, e.g. `debian 12 (bookworm)`. */
  os?: string;
  /** How many of the image's layers came with the base (0: the history does not tell). */
  layers: number;
  /** `label`: the OCI base labels name it; `history`: only the image history and os-release tell. */
  source: 'label' | 'history';
  /** OS findings in packages added by the base's layers and by the image's own; absent when `layers` is 0. */
  findings?: { base: number; added: number };
  advice?: BaseAdvice;
}

/** `debian 12 (bookworm)`. */
export function osName(os: NonNullable<ScanInput['os']>): string {
  return `${os.family} ${os.version}${os.codename ? ` (${os.codename})` : ''}`;
}

/** The base image of the scanned image, with its OS findings split by layer; undefined when nothing tells it. */
export function baseImage(
  input: Pick<ScanInput, 'base' | 'os'>,
  findings: readonly VulnerabilityFinding[],
): BaseImage | undefined {
  const base = input.base;
  if (!base) return undefined;
  const labelled = base.name !== undefined || base.digest !== undefined;
  let findingsSplit: BaseImage['findings'];
  if (base.layers.length > 0) {
    const layers = new Set(base.layers);
    const os = findings.filter((f) => isOsPackageType(f.package.type));
    const fromBase = os.filter((f) => f.layer !== undefined && layers.has(f.layer)).length;
    findingsSplit = { base: fromBase, added: os.length - fromBase };
  }
  return {
    ...(base.name ? { name: base.name } : {}),
    ...(base.digest ? { digest: base.digest } : {}),
    ...(input.os ? { os: osName(input.os) } : {}),
    layers: base.layers.length,
    source: labelled ? 'label' : 'history',
    ...(findingsSplit ? { findings: findingsSplit } : {}),
  };
}

/** The table's line: `base image debian:12.7 (debian 12 (bookworm), 1 layer, label): 30 OS findings from it, 2 added`. */
export function baseImageLine(b: BaseImage): string {
  const what = [b.os, `${b.layers} layer${b.layers === 1 ? '' : 's'}`, `from ${b.source}`]
    .filter(Boolean)
    .join(', ');
  const split = b.findings
    ? `: ${b.findings.base} OS finding${b.findings.base === 1 ? '' : 's'} from its layers, ${b.findings.added} from the image's own`
    : '';
  const fewer = b.advice ? -b.advice.change : 0;
  const advice = b.advice ? `; rebuild on ${b.advice.name}: −${fewer} finding${fewer === 1 ? '' : 's'}` : '';
  const named = b.name ?? b.digest;
  return `base image${named ? ` ${named}` : ''} (${what})${split}${advice}`;
}
