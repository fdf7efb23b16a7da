import type { ContainerList } from '../../objects/pod-spec.js';
import type { Control, ControlFailure } from '../types.js';
import { PARAMETERISED_CHECKS } from './index.js';

const LIST_IN_FIELD = /\.(initContainers|containers|ephemeralContainers)\[\d+\]/;

/** Failures on a container list outside the control's scope are dropped (other failures stay). */
function inScope(failures: ControlFailure[], scope: readonly ContainerList[] | undefined): ControlFailure[] {
  if (!scope) return failures;
  return failures.filter((f) => {
    const list = f.field ? LIST_IN_FIELD.exec(f.field)?.[1] : undefined;
    return list === undefined || scope.includes(list as ContainerList);
  });
}

/**
 * The row with its parameterised checks: configured ones in `replace` mode stand in for the row's own rule, in
 * `add` mode their failures join it; then the policy's container scope for the row, if any, applies.
 */
export function withParameterised(control: Control): Control {
  const members = PARAMETERISED_CHECKS.filter((m) => m.control === control.id);
  if (members.length === 0)
    return {
      ...control,
      check: (item, ctx) => {
        const failures = control.check(item, ctx);
        const scope = ctx.params.containerScope[control.id];
        return failures && scope ? inScope(failures, scope) : failures;
      },
    };
  return {
    ...control,
    check: (item, ctx) => {
      const configured = members.filter((m) => m.configured(ctx.params));
      const parts = [
        configured.some((m) => m.mode === 'replace') ? null : control.check(item, ctx),
        ...configured.map((m) => m.check(item, ctx)),
      ].filter((r): r is ControlFailure[] => r !== null);
      if (parts.length === 0) return null;
      return inScope(parts.flat(), ctx.params.containerScope[control.id]);
    },
  };
}
