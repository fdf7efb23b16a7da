import { readFileSync } from 'node:fs';
import { parse as parseCel } from '@marcbachmann/cel-js';
import picomatch from 'picomatch';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { meterExpression, withinCallLimit } from '../cel/cost.js';
import { compareNatural } from '../core/collate.js';
import { UserInputError } from '../core/errors.js';
import { type ExceptionBase, exceptionState, parseExpiry } from '../core/exceptions.js';
import { type ResourceRef, resourceKey } from '../core/resource.js';
import { describeIssue } from '../core/schema-issue.js';
import { defaultLists, type Lists } from './context.js';
import type { Json } from './event.js';
import { SOURCE_NAMES } from './event.js';
import { ThreatIntel } from './intel.js';
import { RULES } from './rules/index.js';
import type { CatalogueSeverity, Rule } from './rules/types.js';

/** A run-time exception: the shared model plus a resource glob and evidence fields that must match. */
export interface RuntimeException extends ExceptionBase {
  /** Glob over the alert resource key. @example 'host:build-*' */
  resource?: string;
  /** Evidence fields that must equal these values. @example { exe: '/usr/bin/backup' } */
  match?: Record<string, string | number | boolean>;
}

/** The rules in force after defaults and user rule files, with their lists, intel and exceptions. */
export interface ActiveRuleSet {
  rules: Rule[];
  lists: Lists;
  intel: ThreatIntel;
  activity: boolean;
  exceptions: RuntimeException[];
  severityOverrides: Map<string, CatalogueSeverity>;
  /** Where each rule came from (`built-in` or the user file). */
  origins: Map<string, string>;
  /** Built-in rules switched off (by default or by a user file). */
  disabled: Set<string>;
}

const severity = z.enum(['Critical', 'High', 'Medium', 'Low', 'Info', 'Debug']);

const userRuleFile = z
  .object({
    activity: z.boolean().optional(),
    lists: z
      .record(
        z.string(),
        z.union([
          z.array(z.any()),
          z.object({ replace: z.boolean().optional(), items: z.array(z.any()) }),
          z.number(),
          z.boolean(),
        ]),
      )
      .optional(),
    rules: z
      .array(
        z
          .object({
            id: z.string().min(1),
            enabled: z.boolean().optional(),
            severity: severity.optional(),
            title: z.string().optional(),
            tactic: z.string().optional(),
            technique: z.string().optional(),
            source: z.enum(SOURCE_NAMES).optional(),
            condition: z.string().optional(),
            evidence: z.array(z.string()).optional(),
            remediation: z.string().optional(),
          })
          .strict(),
      )
      .optional(),
    exceptions: z
      .array(
        z
          .object({
            id: z.string().min(1),
            reason: z.string().min(1),
            by: z.string().optional(),
            expires: z.string().optional(),
            resource: z.string().optional(),
            match: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
          })
          .strict(),
      )
      .optional(),
  })
  .strict();

export type UserRuleFile = z.infer<typeof userRuleFile>;

/** The built-in rule set with default lists (what `runtime detect` uses without --rules). */
export function defaultRuleSet(intel = new ThreatIntel()): ActiveRuleSet {
  const disabled = new Set(RULES.filter((r) => r.disabledByDefault).map((r) => r.id));
  return {
    rules: RULES.filter((r) => !disabled.has(r.id)),
    lists: defaultLists(),
    intel,
    activity: true,
    exceptions: [],
    severityOverrides: new Map(),
    origins: new Map(RULES.map((r) => [r.id, 'built-in'])),
    disabled,
  };
}

/** Catalogue severities, most severe first. */
export const RULE_SEVERITIES: readonly CatalogueSeverity[] = [
  'Critical',
  'High',
  'Medium',
  'Low',
  'Info',
  'Debug',
];

/**
 * The rule set without the rules whose severity (after overrides) is below `minimum`, as Falco's `priority`
 * setting drops rules below it. Dropped rules are listed as disabled.
 */
export function withMinimumSeverity(set: ActiveRuleSet, minimum: CatalogueSeverity): ActiveRuleSet {
  const floor = RULE_SEVERITIES.indexOf(minimum);
  const kept = set.rules.filter(
    (r) => RULE_SEVERITIES.indexOf(set.severityOverrides.get(r.id) ?? r.severity) <= floor,
  );
  const dropped = set.rules.filter((r) => !kept.includes(r)).map((r) => r.id);
  return { ...set, rules: kept, disabled: new Set([...set.disabled, ...dropped]) };
}

/** Read and apply a user rule file (YAML or JSON); Json problem is a user input error naming the file. */
export function loadRuleFile(set: ActiveRuleSet, path: string, now = new Date()): ActiveRuleSet {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UserInputError(path, `cannot read rule file: ${(error as Error).message}`);
  }
  if (text.includes('\0')) throw new UserInputError(path, 'rule file is binary');
  const doc = parseDocument(text, { uniqueKeys: true, logLevel: 'error' });
  if (doc.errors.length > 0)
    throw new UserInputError(path, `invalid YAML: ${doc.errors[0]!.message.split('\n')[0]}`);
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 50 });
  } catch (error) {
    throw new UserInputError(path, `invalid YAML: ${(error as Error).message}`);
  }
  const parsed = userRuleFile.safeParse(raw ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UserInputError(path, describeIssue(issue));
  }
  return applyRuleFile(set, parsed.data, path, now);
}

export function applyRuleFile(
  set: ActiveRuleSet,
  file: UserRuleFile,
  label: string,
  now = new Date(),
): ActiveRuleSet {
  const lists = { ...set.lists };
  for (const [name, value] of Object.entries(file.lists ?? {})) {
    if (Array.isArray(value)) lists[name] = [...(Array.isArray(lists[name]) ? lists[name] : []), ...value];
    else if (typeof value === 'object')
      lists[name] = value.replace ? value.items : [...(lists[name] ?? []), ...value.items];
    else lists[name] = value;
  }
  const builtIn = new Map(RULES.map((r) => [r.id, r]));
  const active = new Map(set.rules.map((r) => [r.id, r]));
  const disabled = new Set(set.disabled);
  const overrides = new Map(set.severityOverrides);
  const origins = new Map(set.origins);
  for (const entry of file.rules ?? []) {
    const known = active.get(entry.id) ?? builtIn.get(entry.id);
    if (known && !entry.condition) {
      if (entry.enabled === false) {
        active.delete(entry.id);
        disabled.add(entry.id);
      } else if (entry.enabled === true || !active.has(entry.id)) {
        if (entry.enabled === true) {
          active.set(entry.id, known);
          disabled.delete(entry.id);
        }
      }
      if (entry.severity) overrides.set(entry.id, entry.severity);
      continue;
    }
    if (!entry.condition || !entry.title || !entry.source)
      throw new UserInputError(label, `rule ${entry.id}: a new rule needs title, source and condition`);
    if (builtIn.has(entry.id))
      throw new UserInputError(label, `rule ${entry.id}: built-in ids cannot be redefined`);
    active.set(entry.id, celRule(entry, label));
    origins.set(entry.id, label);
    if (entry.enabled === false) active.delete(entry.id);
  }
  const exceptions = [...set.exceptions];
  for (const ex of file.exceptions ?? []) {
    if (ex.expires) {
      try {
        parseExpiry(ex.expires);
      } catch (error) {
        throw new UserInputError(label, `exception for ${ex.id}: ${(error as Error).message}`);
      }
    }
    const item: RuntimeException = { id: ex.id, reason: ex.reason };
    if (ex.by) item.by = ex.by;
    if (ex.expires) item.expires = ex.expires;
    if (ex.resource) item.resource = ex.resource;
    if (ex.match) item.match = ex.match;
    if (exceptionState(item, now) === 'active') exceptions.push(item);
  }
  return {
    ...set,
    rules: [...active.values()].sort((a, b) => compareNatural(a.id, b.id)),
    lists,
    activity: file.activity ?? set.activity,
    exceptions,
    severityOverrides: overrides,
    origins,
    disabled,
  };
}

/** A user rule whose condition is a CEL expression over `event` (the normalised event). */
function celRule(entry: NonNullable<UserRuleFile['rules']>[number], label: string): Rule {
  let program: ReturnType<typeof parseCel>;
  try {
    program = parseCel(entry.condition!);
  } catch (error) {
    throw new UserInputError(
      label,
      `rule ${entry.id}: invalid condition: ${(error as Error).message.split('\n')[0]}`,
    );
  }
  // a runaway condition stops at the per-call cost limit (an error: no match) instead of holding the pipeline
  meterExpression(program.ast);
  const fields = entry.evidence ?? [];
  return {
    id: entry.id,
    title: entry.title!,
    severity: entry.severity ?? 'Medium',
    tactic: entry.tactic ?? 'None',
    ...(entry.technique ? { technique: entry.technique } : {}),
    source: entry.source!,
    evidence: fields,
    remediation: entry.remediation ?? 'Defined by a user rule file.',
    when(event) {
      if (withinCallLimit(() => program({ event })) !== true) return undefined;
      const evidence: Record<string, unknown> = {};
      for (const f of fields)
        evidence[f] = f.split('.').reduce<Json>((o, k) => (o == null ? undefined : o[k]), event);
      return { evidence };
    },
  };
}

/** Whether an active exception suppresses this rule's alert on this resource. */
export function matchesException(
  exceptions: readonly RuntimeException[],
  rule: string,
  resource: ResourceRef,
  evidence: Record<string, unknown>,
  now = new Date(),
): boolean {
  return exceptions.some((ex) => {
    if (ex.id !== rule && ex.id !== '*') return false;
    if (exceptionState(ex, now) !== 'active') return false;
    if (ex.resource && !picomatch.isMatch(resourceKey(resource), ex.resource, { dot: true })) return false;
    if (ex.match) for (const [k, v] of Object.entries(ex.match)) if (evidence[k] !== v) return false;
    return true;
  });
}
