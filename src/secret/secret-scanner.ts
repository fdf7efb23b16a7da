import { compareText } from '../core/collate.js';
import { compareSeverity } from '../core/severity.js';
import type { FileInfo, FileTap } from '../image/file-view.js';
import { ALLOW_RULES } from './allow/index.js';
import { compileSecretRules, findSecrets, pathAllowed, type SecretMatch } from './find-secrets.js';
import { SECRET_RULES } from './rules/index.js';
import type { AllowRule, SecretFinding, SecretRule } from './types.js';

/** Files larger than this are not read for secrets (bounded memory; Trivy warns from the same size). */
export const MAX_SECRET_FILE_BYTES = 10 << 20;
/** Smaller files cannot hold a credential. */
const MIN_SECRET_FILE_BYTES = 10;
/** A NUL byte in a file's first bytes marks it binary (as git decides). */
const BINARY_SNIFF_BYTES = 8000;
/** Formats that are compressed or binary by nature: never read. */
const BINARY_EXTENSIONS =
  /\.(?:7z|a|bin|bmp|bz2|class|db|deb|dll|dylib|eot|exe|gif|gz|ico|jar|jpe?g|mo|o|otf|pdf|png|pyc|rpm|so(?:\.[0-9.]+)?|sqlite|svgz|tar|tgz|ttf|war|webp|whl|woff2?|xz|zip|zst)$/i;

export interface SecretScanOptions {
  rules?: readonly SecretRule[];
  allowRules?: readonly AllowRule[];
  maxFileBytes?: number;
}

interface Found extends SecretMatch {
  path: string;
  layer: number;
}

/**
 * A secret scan riding on the layer walk: `tap` is the walk's TapFn (every regular file of every layer, so a
 * secret a later layer deletes is still found, in the layer that added it); `findings` names the layers once the
 * walk knows them. Memory: one file of at most `maxFileBytes` at a time, plus the (masked) findings.
 */
export function secretScanner(options: SecretScanOptions = {}) {
  const matcher = compileSecretRules(options.rules ?? SECRET_RULES, options.allowRules ?? ALLOW_RULES);
  const max = options.maxFileBytes ?? MAX_SECRET_FILE_BYTES;
  const found = new Map<string, Found>();
  let filesRead = 0;
  const tap = (path: string, info: FileInfo, layer: number): FileTap | undefined => {
    if (info.size < MIN_SECRET_FILE_BYTES || info.size > max) return undefined;
    if (BINARY_EXTENSIONS.test(path) || pathAllowed(matcher, path)) return undefined;
    const chunks: Buffer[] = [];
    let binary = false;
    return {
      push(chunk) {
        if (binary) return;
        if (chunks.length === 0 && chunk.subarray(0, BINARY_SNIFF_BYTES).includes(0)) {
          binary = true;
          return;
        }
        chunks.push(chunk);
      },
      end() {
        if (binary || chunks.length === 0) return;
        filesRead++;
        for (const m of findSecrets(matcher, path, Buffer.concat(chunks).toString('utf8'))) {
          // the same secret at the same place in a later layer (a copy, a chmod) was added by the first
          const key = `${m.rule.id}\0${path}\0${m.line}\0${m.fingerprint}`;
          if (!found.has(key)) found.set(key, { ...m, path, layer });
        }
      },
    };
  };
  return {
    tap,
    /** How many files were read (not skipped as binary, too large or allowed). */
    filesRead: () => filesRead,
    /**
     * The findings, most severe first, then by path and line. `layers`: diff ids by index (absent for a root
     * file system); `instructions`: diff id → the instruction that created it.
     */
    findings(layers: readonly string[] = [], instructions: Record<string, string> = {}): SecretFinding[] {
      return [...found.values()]
        .map((f) => {
          const layer = layers[f.layer];
          return {
            rule: f.rule.id,
            title: f.rule.title,
            severity: f.rule.severity,
            path: `/${f.path}`,
            ...(layer ? { layer } : {}),
            ...(layer && instructions[layer] ? { layerInstruction: instructions[layer] } : {}),
            line: f.line,
            match: f.match,
          };
        })
        .sort(
          (a, b) =>
            compareSeverity(a.severity, b.severity) ||
            compareText(a.path, b.path) ||
            a.line - b.line ||
            compareText(a.rule, b.rule),
        );
    },
  };
}

export type SecretScanner = ReturnType<typeof secretScanner>;
