import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  type Constraint,
  isImplemented,
  parseConstraint,
  untranslatedParameters,
} from '../../../src/hardening/kubernetes/gatekeeper/constraints.js';
import { constraintFindings } from '../../../src/hardening/kubernetes/gatekeeper/evaluate.js';
import { Inventory } from '../../../src/hardening/kubernetes/inventory.js';
import type { CaseOutcome, ConformanceSuite } from '../types.js';
import { filesUnder, objectsOf, rel, yamlFile } from './support.js';

interface Assertion {
  violations?: string | number | boolean;
  message?: string;
}
interface SuiteCase {
  name: string;
  object: string;
  inventory?: string[];
  assertions?: Assertion[];
}
interface SuiteDoc {
  kind?: string;
  tests?: { name: string; constraint: string; cases?: SuiteCase[] }[];
}

/**
 * Single-word message assertions (`container`, `initContainer`, `ephemeralContainer`, a subject name) narrow the
 * count, as our messages name the same things. Sentence patterns are the peer's wording and are not compared:
 * the verdict is the number of violations.
 */
const STRUCTURAL = /^\S+$/;

function expectOk(count: number, a: Assertion): boolean {
  const v = a.violations;
  if (v === 'yes' || v === true) return count >= 1;
  if (v === 'no' || v === false || v === undefined) return count === 0;
  return count === Number(v);
}

/** A template as the library's `templates.json` describes it: its constraint kind and parameter schema. */
interface TemplateInfo {
  kind: string;
  parameters?: { properties?: Record<string, unknown> };
}

/** The library's own template index (`templates.json` at the suite root), by constraint kind. */
function templatesOf(dir: string): Map<string, TemplateInfo> | undefined {
  const file = join(dir, 'templates.json');
  if (!existsSync(file)) return undefined;
  const doc = JSON.parse(readFileSync(file, 'utf8')) as { templates?: TemplateInfo[] };
  return new Map((doc.templates ?? []).map((t) => [t.kind, t]));
}

/**
 * Why a constraint cannot be run as written, or undefined: a kind neither implemented nor in the library's index
 * fails, and so does a parameter outside the template's schema or without a translation.
 */
function constraintProblem(
  constraint: Constraint,
  templates: Map<string, TemplateInfo> | undefined,
): 'not-implemented' | string | undefined {
  if (!isImplemented(constraint.kind))
    return templates?.has(constraint.kind) ? 'not-implemented' : `unknown constraint kind ${constraint.kind}`;
  const schema = templates?.get(constraint.kind)?.parameters?.properties;
  const outside = schema ? Object.keys(constraint.parameters).filter((k) => !Object.hasOwn(schema, k)) : [];
  if (outside.length)
    return `parameter ${outside.join(', ')} is not in the ${constraint.kind} template's schema`;
  const untranslated = untranslatedParameters(constraint);
  if (untranslated.length)
    return `${constraint.kind} parameter ${untranslated.join(', ')} has no translation`;
  return undefined;
}

/**
 * gator verify suites (`kind: Suite`): each test names a constraint; each case an object, optional inventory
 * and assertions (`violations: yes|no|N`, optional `message` regular expression).
 */
export const gatekeeperSuite: ConformanceSuite = {
  name: 'gatekeeper',
  description: 'gatekeeper-library gator suites (library/general, library/pod-security-policy)',
  defaultDir: 'manifests/gatekeeper-library',
  async *run(dir): AsyncIterable<CaseOutcome> {
    const templates = templatesOf(dir);
    for (const suiteFile of filesUnder(dir, (n) => n === 'suite.yaml')) {
      const doc = yamlFile<SuiteDoc>(suiteFile);
      if (doc?.kind !== 'Suite') continue;
      const base = dirname(suiteFile);
      for (const test of doc.tests ?? []) {
        const constraintFile = join(base, test.constraint);
        const constraintObject = existsSync(constraintFile) ? objectsOf(constraintFile)[0] : undefined;
        const constraint: Constraint | undefined = constraintObject
          ? parseConstraint(constraintObject.object)
          : undefined;
        for (const c of test.cases ?? []) {
          const id = `${rel(dir, base)}/${test.name}/${c.name}`;
          if (!constraint) {
            yield { id, verdict: 'failed', detail: `constraint ${test.constraint} missing or unreadable` };
            continue;
          }
          const problem = constraintProblem(constraint, templates);
          if (problem === 'not-implemented') {
            yield {
              id,
              verdict: 'not-implemented',
              reason: 'unsupported-feature',
              detail: `${constraint.kind}: the template's Rego has no native implementation`,
            };
            continue;
          }
          if (problem) {
            yield { id, verdict: 'failed', detail: problem };
            continue;
          }
          const objectFile = join(base, c.object);
          if (!existsSync(objectFile)) {
            yield {
              id,
              verdict: 'not-implemented',
              reason: 'held-out',
              detail: `object ${c.object} is held out`,
            };
            continue;
          }
          const subject = objectsOf(objectFile)[0];
          if (!subject) {
            yield { id, verdict: 'failed', detail: `object ${c.object} did not load` };
            continue;
          }
          const inventory = (c.inventory ?? []).flatMap((f) =>
            existsSync(join(base, f)) ? objectsOf(join(base, f)) : [],
          );
          const findings =
            constraintFindings(constraint, subject, new Inventory([subject, ...inventory])) ?? [];
          const bad = (c.assertions ?? [{ violations: 'no' }]).filter((a) => {
            const re = a.message && STRUCTURAL.test(a.message) ? new RegExp(a.message) : undefined;
            const count = re ? findings.filter((f) => re.test(f.message)).length : findings.length;
            return !expectOk(count, a);
          });
          if (bad.length === 0) yield { id, verdict: 'passed' };
          else
            yield {
              id,
              verdict: 'failed',
              detail: `expected ${bad.map((a) => `violations ${String(a.violations)}${a.message ? ` /${a.message}/` : ''}`).join(', ')}; got ${findings.length}: ${findings.map((f) => f.message).join(' | ')}`,
            };
        }
      }
    }
  },
};
