import type { Severity } from '../../../core/severity.js';
import { configValue, settingText } from '../evidence/flags.js';
import { pathsOf } from '../evidence/paths.js';
import type {
  BenchResource,
  ComponentEvidence,
  ComponentName,
  Control,
  Evidence,
  FileRef,
  FileStat,
  Need,
  Outcome,
  Setting,
  Target,
} from '../types.js';

/** How a setting passes. `unset` says what an absent setting means (the component's own default, per CIS). */
export type Condition =
  | { op: 'eq'; value: string }
  | { op: 'noteq'; value: string }
  | { op: 'set' }
  | { op: 'unset' }
  /** A comma-separated list includes the item. */
  | { op: 'has'; value: string }
  | { op: 'nothave'; value: string }
  | { op: 'gte'; value: number }
  /** Every element of the list is one of these. */
  | { op: 'within'; values: readonly string[] };

/** One setting a flag control reads: the flag, its config file key, its environment variable. */
export interface SettingSpec {
  component: ComponentName;
  flag: string;
  /** Dotted path in the component's --config file (kubelet, kube-proxy). */
  config?: string;
  /** Environment variable (etcd). */
  env?: string;
  test: Condition;
  /** The verdict when the setting is absent everywhere. */
  unset: 'pass' | 'fail';
}

interface Common {
  id: string;
  legacyId?: string;
  title: string;
  target: Target;
  level?: 1 | 2;
  automated: boolean;
  severity?: Severity;
  remediation: string;
}

export function componentResource(c: ComponentEvidence): BenchResource {
  return { type: 'component', id: c.process ? `pid:${c.process.pid}` : (c.manifest ?? c.name), name: c.name };
}

export const fileResource = (path: string): BenchResource => ({ type: 'file', id: path, name: path });

/** `1.2.15` is in section 1.2; `2.3` (etcd) in section 2. */
function section(id: string): string {
  const parts = id.split('.');
  return parts.length <= 2 ? parts[0]! : parts.slice(0, 2).join('.');
}

/** The setting in force: flag first (flags override config files), then the config file, then the environment. */
export function readSetting(
  c: ComponentEvidence,
  spec: Pick<SettingSpec, 'flag' | 'config' | 'env'>,
): Setting | null {
  const flag = c.flags.get(spec.flag);
  if (flag !== undefined)
    return { value: flag, source: c.process ? 'flag' : 'manifest', from: `--${spec.flag}` };
  if (spec.config && c.config?.value.ok) {
    const v = configValue(c.config.value.value, spec.config);
    if (v !== undefined)
      return { value: settingText(v), source: 'config', from: `${c.config.path}: ${spec.config}` };
  }
  if (spec.env && c.env[spec.env] !== undefined)
    return { value: c.env[spec.env]!, source: 'env', from: spec.env };
  return null;
}

const list = (v: string) =>
  v
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

/** Whether a present value meets the condition. */
export function meets(value: string, test: Condition): boolean {
  switch (test.op) {
    case 'eq':
      return value.toLowerCase() === test.value.toLowerCase();
    case 'noteq':
      return value.toLowerCase() !== test.value.toLowerCase();
    case 'set':
      return true;
    case 'unset':
      return false;
    case 'has':
      return list(value).includes(test.value);
    case 'nothave':
      return !list(value).includes(test.value);
    case 'gte':
      return /^-?\d+(\.\d+)?$/.test(value.trim()) && Number(value) >= test.value;
    case 'within':
      return list(value).length > 0 && list(value).every((x) => test.values.includes(x));
  }
}

export function describe(test: Condition): string {
  switch (test.op) {
    case 'eq':
      return `= ${test.value}`;
    case 'noteq':
      return `≠ ${test.value}`;
    case 'set':
      return 'set';
    case 'unset':
      return 'not set';
    case 'has':
      return `includes ${test.value}`;
    case 'nothave':
      return `excludes ${test.value}`;
    case 'gte':
      return `≥ ${test.value}`;
    case 'within':
      return `only ${test.values.length} allowed values`;
  }
}

/** A manual control's failing verdict is a warning to review, not a failure. */
function verdict(automated: boolean, pass: boolean): 'pass' | 'fail' | 'warn' {
  return pass ? 'pass' : automated ? 'fail' : 'warn';
}

function judgeSettings(
  e: Evidence,
  specs: readonly SettingSpec[],
  any: boolean,
  automated: boolean,
): Outcome {
  const component = e.components.get(specs[0]!.component);
  if (!component)
    return {
      status: 'not_applicable',
      message: e.processError
        ? `${specs[0]!.component} not found (process table unreadable: ${e.processError})`
        : `${specs[0]!.component} does not run on this node`,
    };
  if (component.config && !component.config.value.ok && specs.some((s) => s.config))
    return {
      status: 'error',
      message: `config file unreadable: ${component.config.value.reason}`,
      resources: [componentResource(component)],
    };
  const parts = specs.map((spec) => {
    const setting = readSetting(component, spec);
    const pass = setting ? meets(setting.value, spec.test) : spec.unset === 'pass';
    return { spec, setting, pass };
  });
  const pass = any ? parts.some((p) => p.pass) : parts.every((p) => p.pass);
  const text = parts
    .map((p) =>
      p.setting
        ? `${p.setting.from}=${p.setting.value.length > 80 ? `${p.setting.value.slice(0, 77)}…` : p.setting.value}`
        : `--${p.spec.flag} not set`,
    )
    .join(', ');
  const status = verdict(automated, pass);
  return {
    status,
    message: pass
      ? text
      : `${text} (wanted ${parts.map((p) => `--${p.spec.flag} ${describe(p.spec.test)}`).join(any ? ' or ' : ' and ')})`,
    ...(pass ? {} : { resources: [componentResource(component)] }),
    evidence: parts.map((p) => ({ flag: p.spec.flag, setting: p.setting, pass: p.pass })),
  };
}

function needsOf(specs: readonly SettingSpec[]): Need[] {
  return specs.map((s) => ({
    kind: 'setting' as const,
    component: s.component,
    flag: s.flag,
    ...(s.config ? { config: s.config } : {}),
    ...(s.env ? { env: s.env } : {}),
  }));
}

function base(c: Common, needs: Need[], check: (e: Evidence) => Outcome): Control {
  return {
    id: c.id,
    legacyId: c.legacyId ?? null,
    title: c.title,
    target: c.target,
    section: section(c.id),
    level: c.level ?? 1,
    automated: c.automated,
    severity: c.severity ?? 'MEDIUM',
    version: 1,
    remediation: c.remediation,
    needs,
    check,
  };
}

/** A control on component settings: all of them must pass (`any`: one is enough). */
export function settingControl(c: Common & { settings: readonly SettingSpec[]; any?: boolean }): Control {
  return base(c, needsOf(c.settings), (e) => judgeSettings(e, c.settings, c.any ?? false, c.automated));
}

const octal = (mode: number) => mode.toString(8).padStart(3, '0');

/** The stats of the files a reference names (only the first present of several candidates, for units and manifests). */
function statsOf(e: Evidence, ref: FileRef): { ok: true; files: FileStat[] } | { ok: false; reason: string } {
  const paths = pathsOf(ref, e.components, e.manifestDir);
  if (ref === 'pki-dir' || ref === 'cni-dir') {
    const files: FileStat[] = [];
    for (const p of paths) {
      const t = e.trees.get(p);
      if (!t) return { ok: false, reason: `${p} was not read` };
      if (!t.ok) return { ok: false, reason: t.reason };
      files.push(...(t.value ?? []));
    }
    return { ok: true, files };
  }
  const found: FileStat[] = [];
  for (const p of paths) {
    const s = e.files.get(p);
    if (!s) return { ok: false, reason: `${p} was not read` };
    if (!s.ok) return { ok: false, reason: s.reason };
    if (s.value) {
      found.push(s.value);
      if (ref !== 'admin-kubeconfig') break;
    }
  }
  return { ok: true, files: found };
}

export interface FileSpec {
  file: FileRef;
  /** Most permissive mode allowed (`600` = no bit outside rw-------). */
  maxMode?: number;
  /** `user:group` required. */
  owner?: string;
  /** Only the files below a directory whose name matches (PKI certificates, keys). */
  only?: RegExp;
  /** Directory entries count too (ownership of the PKI directory itself). */
  directories?: boolean;
  /** Which component must be present for the file to matter (absent component and file = not applicable). */
  describe: string;
}

/** A control on the mode or owner of files the benchmark names. */
export function fileControl(c: Common & FileSpec): Control {
  return base(
    c,
    [{ kind: c.file === 'pki-dir' || c.file === 'cni-dir' ? 'tree' : 'file', file: c.file }],
    (e) => {
      const stats = statsOf(e, c.file);
      if (!stats.ok) return { status: 'error', message: stats.reason };
      const files = stats.files.filter(
        (f) =>
          (c.directories || f.type !== 'directory' || c.file === 'etcd-data-dir') &&
          (!c.only || c.only.test(f.path)),
      );
      const paths = pathsOf(c.file, e.components, e.manifestDir);
      if (files.length === 0)
        return {
          status: 'not_applicable',
          message: paths.length
            ? `no ${c.describe} (${paths.slice(0, 3).join(', ')})`
            : `no ${c.describe} configured`,
        };
      const bad = files.filter(
        (f) =>
          (c.maxMode !== undefined && (f.mode & 0o777 & ~c.maxMode) !== 0) ||
          (c.owner !== undefined && `${f.owner}:${f.group}` !== c.owner),
      );
      const show = (f: FileStat) => `${f.path} ${octal(f.mode & 0o777)} ${f.owner}:${f.group}`;
      const status = verdict(c.automated, bad.length === 0);
      return {
        status,
        message:
          bad.length === 0
            ? files.length === 1
              ? show(files[0]!)
              : `${files.length} files, all ${c.maxMode !== undefined ? `${octal(c.maxMode)} or stricter` : c.owner}`
            : `${bad.slice(0, 3).map(show).join(', ')}${bad.length > 3 ? ` +${bad.length - 3}` : ''} (wanted ${c.maxMode !== undefined ? octal(c.maxMode) : c.owner})`,
        resources: bad.map((f) => fileResource(f.path)),
        evidence: files.map((f) => ({
          path: f.path,
          mode: octal(f.mode & 0o777),
          owner: f.owner,
          group: f.group,
        })),
      };
    },
  );
}

/** A recommendation that needs a person's judgement: reported as manual, with the evidence that helps. */
export function manualControl(c: Common & { note: string }): Control {
  return base(c, [], () => ({ status: 'manual', message: c.note }));
}

/** A policies recommendation judged by the posture engine's catalogue rows on the live cluster. */
export function policyControl(c: Common & { rows: readonly string[] }): Control {
  const control = base(c, [{ kind: 'cluster' }], (e) => {
    if (c.rows.length === 0) return { status: 'manual', message: 'no automated check: review the cluster' };
    if (e.policies === null)
      return { status: 'not_applicable', message: 'no cluster read (give --kubeconfig)' };
    if (!e.policies.ok) return { status: 'error', message: e.policies.reason };
    const v = e.policies.value.get(c.id);
    if (!v || (v.failing.length === 0 && v.passing === 0))
      return { status: 'pass', message: `nothing in the cluster for ${c.rows.join(', ')} to judge` };
    const evidence = { rows: v.rows, failing: v.failing.slice(0, 50), passing: v.passing };
    if (v.failing.length === 0)
      return { status: 'pass', message: `${v.passing} result(s) of ${c.rows.join(', ')} pass`, evidence };
    return {
      status: verdict(c.automated, false),
      message: `${v.failing.length} failing (${c.rows.join(', ')}): ${v.failing
        .slice(0, 3)
        .map((f) => f.resource)
        .join(', ')}${v.failing.length > 3 ? ', …' : ''}`,
      resources: v.failing.map((f) => ({ type: 'object', id: f.resource, name: f.resource })),
      evidence,
    };
  });
  return { ...control, rows: c.rows };
}

/** Shorthands for the specs of the sections. */
export const flagSpec = (
  component: ComponentName,
  flag: string,
  test: Condition,
  unset: 'pass' | 'fail',
  more: { config?: string; env?: string } = {},
): SettingSpec => ({ component, flag, test, unset, ...more });
