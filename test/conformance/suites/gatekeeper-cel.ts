import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { compileCelPolicies, evaluateCelPolicies } from '../../../src/admission/cel/index.js';
import { admissionInputOf } from '../../../src/hardening/kubernetes/gatekeeper/cel-constraints.js';
import { parseConstraint } from '../../../src/hardening/kubernetes/gatekeeper/constraints.js';
import { constraintFindings } from '../../../src/hardening/kubernetes/gatekeeper/evaluate.js';
import { Inventory } from '../../../src/hardening/kubernetes/inventory.js';
import type { CaseOutcome, ConformanceSuite } from '../types.js';
import { filesUnder, objectsOf, rel, yamlFile } from './support.js';

/**
 * ConstraintTemplates with a `K8sNativeValidation` body for the gatekeeper-library kinds that have one upstream.
 * The corpus carries no template code, so these bodies were written for Bulkhead from each template's
 * description and parameter schema (`templates.json`).
 */
export const CEL_TEMPLATE_DIR = fileURLToPath(new URL('../gatekeeper-cel/', import.meta.url));

interface Assertion {
  violations?: string | number | boolean;
}
interface SuiteDoc {
  kind?: string;
  tests?: {
    name: string;
    constraint: string;
    cases?: { name: string; object: string; inventory?: string[]; assertions?: Assertion[] }[];
  }[];
}

/** One suite case seen three ways: the suite's expectation, the native implementation, the CEL body. */
export interface CelCase {
  id: string;
  kind: string;
  expected: boolean;
  native: boolean;
  cel: boolean;
  celMessages: string[];
}

function violates(a: Assertion): boolean {
  const v = a.violations;
  if (v === 'yes' || v === true) return true;
  if (v === 'no' || v === false || v === undefined) return false;
  return Number(v) > 0;
}

export function celTemplates(dir = CEL_TEMPLATE_DIR): unknown[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .flatMap((f) => parseAllDocuments(readFileSync(join(dir, f), 'utf8')).map((d) => d.toJS()));
}

/** Every visible suite case whose constraint kind has a CEL template, evaluated natively and through CEL. */
export function celComparison(dir: string, templates = celTemplates()): CelCase[] {
  const kinds = new Set(
    templates.map(
      (t) =>
        (t as { spec?: { crd?: { spec?: { names?: { kind?: string } } } } }).spec?.crd?.spec?.names?.kind,
    ),
  );
  const out: CelCase[] = [];
  for (const suiteFile of filesUnder(dir, (n) => n === 'suite.yaml')) {
    const doc = yamlFile<SuiteDoc>(suiteFile);
    if (doc?.kind !== 'Suite') continue;
    const base = dirname(suiteFile);
    for (const test of doc.tests ?? []) {
      const constraintFile = join(base, test.constraint);
      if (!existsSync(constraintFile)) continue;
      const constraintObject = objectsOf(constraintFile)[0]?.object;
      const constraint = constraintObject && parseConstraint(constraintObject);
      if (!constraint || !kinds.has(constraint.kind)) continue;
      const set = compileCelPolicies([...templates, constraintObject]);
      for (const c of test.cases ?? []) {
        const objectFile = join(base, c.object);
        if (!existsSync(objectFile)) continue; // held-out sample
        const subject = objectsOf(objectFile)[0];
        if (!subject) continue;
        const inventoryItems = (c.inventory ?? []).flatMap((f) =>
          existsSync(join(base, f)) ? objectsOf(join(base, f)) : [],
        );
        const inventory = new Inventory([subject, ...inventoryItems]);
        const native = (constraintFindings(constraint, subject, inventory) ?? []).length > 0;
        const violations = evaluateCelPolicies(set, admissionInputOf(subject, inventory)).filter(
          (v) => v.actions.length > 0,
        );
        out.push({
          id: `${rel(dir, base)}/${test.name}/${c.name}`,
          kind: constraint.kind,
          expected: (c.assertions ?? []).some(violates),
          native,
          cel: violations.length > 0,
          celMessages: violations.map((v) => v.message),
        });
      }
    }
  }
  return out;
}

/**
 * gatekeeper-library suites through the CEL bodies of the templates that have one: a case passes when the CEL
 * verdict equals both the suite's expectation and the native implementation's verdict.
 */
export const gatekeeperCelSuite: ConformanceSuite = {
  name: 'gatekeeper-cel',
  description:
    'gatekeeper-library suites evaluated through K8sNativeValidation (CEL) template bodies, compared with the native path',
  defaultDir: 'manifests/gatekeeper-library',
  async *run(dir): AsyncIterable<CaseOutcome> {
    for (const c of celComparison(dir)) {
      if (c.cel === c.expected && c.cel === c.native) yield { id: c.id, verdict: 'passed' };
      else
        yield {
          id: c.id,
          verdict: 'failed',
          detail: `expected ${c.expected ? 'violation' : 'none'}, native ${c.native ? 'violation' : 'none'}, CEL ${c.cel ? `violation: ${c.celMessages.join(' | ')}` : 'none'}`,
        };
    }
  },
};
