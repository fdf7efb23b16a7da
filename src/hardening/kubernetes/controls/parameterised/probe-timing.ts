import { isRecord } from '../../objects/load.js';
import { finding, onContainers } from '../helpers.js';
import type { ParameterisedCheck } from './types.js';

/**
 * Timing fields of one probe kind (readiness under K8S-REL-01, liveness under K8S-REL-02) against the policy's
 * bounds. An unset field takes its Kubernetes default (initialDelaySeconds 0, periodSeconds 10, timeoutSeconds 1,
 * successThreshold 1, failureThreshold 3) before it is compared.
 */
const DEFAULTS: Readonly<Record<string, number>> = {
  initialDelaySeconds: 0,
  periodSeconds: 10,
  timeoutSeconds: 1,
  successThreshold: 1,
  failureThreshold: 3,
};

function probeTiming(control: string, probe: 'readinessProbe' | 'livenessProbe'): ParameterisedCheck {
  return {
    name: `${probe.replace('Probe', '')}-probe-timing`,
    control,
    mode: 'add',
    configured: (p) => p.probeTimingBounds !== undefined,
    check: onContainers((c, _pod, ctx) => {
      const value = c.container[probe];
      if (!isRecord(value)) return undefined;
      const out = [];
      for (const [field, bound] of Object.entries(ctx.params.probeTimingBounds ?? {})) {
        if (!bound) continue;
        const raw = value[field];
        const n = typeof raw === 'number' ? raw : DEFAULTS[field];
        if (n === undefined) continue;
        if ((bound.min !== undefined && n < bound.min) || (bound.max !== undefined && n > bound.max))
          out.push(
            finding(
              `${c.label} ${probe} ${field} ${n} is outside ${bound.min ?? '-∞'}..${bound.max ?? '∞'}`,
              `${c.path}.${probe}.${field}`,
            ),
          );
      }
      return out;
    }),
  };
}

export const readinessProbeTiming = probeTiming('K8S-REL-01', 'readinessProbe');
export const livenessProbeTiming = probeTiming('K8S-REL-02', 'livenessProbe');
