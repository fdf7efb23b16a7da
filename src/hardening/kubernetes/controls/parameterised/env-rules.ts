import type { Parameters } from '../../parameters/schema.js';
import { finding, onContainers, records } from '../helpers.js';
import type { ParameterisedCheck } from './types.js';

type Rule = Parameters['envRules'][number];

/** Does a rule refuse a container whose env holds these name/value pairs? */
function refuses(rule: Rule, env: ReadonlyMap<string, string | undefined>): boolean {
  const used = (v: Rule['variables'][number]) =>
    env.has(v.name) && (v.value === undefined || env.get(v.name) === v.value);
  switch (rule.reject) {
    case 'anyIn':
      return rule.variables.some(used);
    case 'allAreUsed':
      return rule.variables.every(used);
    case 'notAllAreUsed':
      return !rule.variables.every(used);
    case 'anyNotIn':
      return [...env.keys()].some((name) => !rule.variables.some((v) => v.name === name && used(v)));
  }
}

/** Environment-variable rules, each applied to the `env` of every container. */
export const envRules: ParameterisedCheck = {
  name: 'env-rules',
  control: 'K8S-SA-10',
  mode: 'add',
  configured: (p) => p.envRules.length > 0,
  check: onContainers((c, _pod, ctx) => {
    const env = new Map(
      records(c.container.env).map((e) => [
        String(e.name),
        typeof e.value === 'string' ? e.value : undefined,
      ]),
    );
    return ctx.params.envRules.flatMap((rule, i) =>
      refuses(rule, env)
        ? [
            finding(
              `${c.label} environment breaks rule ${i + 1} (reject ${rule.reject} ${rule.variables.map((v) => v.name).join(', ')})`,
              `${c.path}.env`,
            ),
          ]
        : [],
    );
  }),
};
