import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserInputError } from '../../../src/core/errors.js';
import { fileInput, replay } from '../../../src/runtime/replay.js';
import {
  type ActiveRuleSet,
  applyRuleFile,
  defaultRuleSet,
  type UserRuleFile,
} from '../../../src/runtime/rule-set.js';
import { RULES } from '../../../src/runtime/rules/index.js';
import { k8sAudit } from '../../../src/runtime/sources/k8s-audit.js';
import type { CaseOutcome, ConformanceSuite } from '../types.js';

/** Falco k8saudit rule name → catalogue ids, from the rules' own `falco` metadata (the catalogue's Falco column). */
export function falcoRuleMap(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const r of RULES)
    if (r.source === 'k8s-audit')
      for (const name of r.falco ?? []) out.set(name, [...(out.get(name) ?? []), r.id]);
  return out;
}

/**
 * The rule-file overrides of Falco's k8saudit regression tests (falcosecurity/testing
 * tests/data/rules/k8saudit.go, one per name) restated as Bulkhead rule-file settings.
 */
export const FALCO_TEST_OVERRIDES: Readonly<Record<string, UserRuleFile>> = {
  allow_namespace_foo: { lists: { allowed_namespaces: ['foo'] } },
  'allow_user_some-user': { lists: { allowed_users: ['some-user'] } },
  disable_activity_rules: { activity: false },
  allowed_images_nginx: { lists: { allowed_images: ['nginx'] } },
  allowed_images_apache: { lists: { allowed_images: ['apache'] } },
  legacy_allowed_images_nginx: { lists: { allowed_images: ['nginx'] } },
  legacy_allowed_images_apache: { lists: { allowed_images: ['apache'] } },
  trust_nginx: {
    lists: { privileged_images: ['nginx'], sensitive_mount_images: ['nginx'], hostnetwork_images: ['nginx'] },
  },
  // the legacy copy of the same rules loaded next to the current ones: same rows, nothing to change
  legacy_engine_v4_rules_also_loaded: {},
};

/** Rulesets of the regression tests: the stock k8saudit rules, or a legacy copy with the same rule names. */
const CATALOGUE_RULESETS = new Set(['current', 'legacy-engine-v4']);

interface FalcoCase {
  case: string;
  ruleset: string;
  overrides: string[];
  detect: boolean;
  counts?: Record<string, number>;
  input_rejected?: boolean;
}

async function runCase(file: string, c: FalcoCase, falco: Map<string, string[]>): Promise<CaseOutcome> {
  const id = `${c.case} (${file.split('/').pop()})`;
  if (!CATALOGUE_RULESETS.has(c.ruleset))
    return {
      id,
      verdict: 'not-implemented',
      reason: 'unsupported-feature',
      detail: `ruleset "${c.ruleset}": a test rule, not a catalogue row`,
    };
  let set: ActiveRuleSet = defaultRuleSet();
  for (const o of c.overrides) {
    const override = FALCO_TEST_OVERRIDES[o];
    if (!override)
      return { id, verdict: 'failed', detail: `test override "${o}" is not one this runner knows` };
    set = applyRuleFile(set, override, o);
  }
  const unknown = Object.keys(c.counts ?? {}).filter((n) => !falco.has(n));
  if (unknown.length > 0)
    return { id, verdict: 'failed', detail: `Falco rule ${unknown.join(', ')} has no catalogue row` };
  let alerts: { rule: string; count: number }[];
  try {
    alerts = (await replay(k8sAudit, [fileInput(file)], set)).alerts;
  } catch (error) {
    if (c.input_rejected && error instanceof UserInputError) return { id, verdict: 'passed' };
    throw error;
  }
  if (c.input_rejected) return { id, verdict: 'failed', detail: 'the input was accepted; Falco rejects it' };
  const got: Record<string, number> = {};
  for (const a of alerts) got[a.rule] = (got[a.rule] ?? 0) + a.count;
  if (!c.detect) {
    const fired = Object.keys(got);
    return fired.length === 0
      ? { id, verdict: 'passed' }
      : { id, verdict: 'failed', detail: `no alert expected; got ${fired.join(', ')}` };
  }
  const problems: string[] = [];
  for (const [name, n] of Object.entries(c.counts ?? {}))
    for (const row of falco.get(name) ?? [])
      if (got[row] !== n) problems.push(`${name} → ${row}: expected ${n}, got ${got[row] ?? 0}`);
  return problems.length === 0
    ? { id, verdict: 'passed' }
    : { id, verdict: 'failed', detail: problems.join('; ') };
}

/**
 * Falco's k8saudit regression tests: each trace file under `test/trace_files/k8s_audit/` replayed with the
 * configuration of every test that uses it; the expected Falco rule hits (`counts`, or no alert at all when
 * `detect` is false) are the peer's, mapped to rows through the catalogue's Falco column. The test table is the
 * `labels.json` beside the traces (the upstream YAML/Go tests restated); only its peer fields are read.
 */
export const falcoK8sAuditSuite: ConformanceSuite = {
  name: 'falco-k8saudit',
  description: 'Falco k8saudit trace files with the rule hits of the upstream regression tests',
  defaultDir: 'runtime/falco-k8saudit',
  async *run(dir): AsyncIterable<CaseOutcome> {
    const labelsFile = join(dir, 'labels.json');
    if (!existsSync(labelsFile)) {
      yield { id: dir, verdict: 'failed', detail: 'no labels.json (the test table) in this directory' };
      return;
    }
    const labels = JSON.parse(readFileSync(labelsFile, 'utf8')) as {
      files?: Record<string, { cases?: FalcoCase[] }>;
    };
    const falco = falcoRuleMap();
    for (const [file, entry] of Object.entries(labels.files ?? {})) {
      const path = join(dir, file);
      for (const c of entry.cases ?? []) {
        if (!existsSync(path)) {
          yield { id: `${c.case} (${file})`, verdict: 'failed', detail: 'trace file missing' };
          continue;
        }
        try {
          yield await runCase(path, c, falco);
        } catch (error) {
          yield { id: `${c.case} (${file})`, verdict: 'failed', detail: (error as Error).message };
        }
      }
    }
  },
};
