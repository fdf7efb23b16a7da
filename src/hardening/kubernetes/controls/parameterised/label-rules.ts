import type { Parameters } from '../../parameters/schema.js';
import { type KeyRules, keyRuleFailures } from './key-rules.js';
import type { ParameterisedCheck } from './types.js';

const rules = (p: Parameters): KeyRules => ({
  denied: p.deniedLabels,
  allowedKeys: p.allowedLabelKeys,
  patterns: p.labelValuePatterns,
});

/** Denied labels, an allow-list of label keys and label value patterns, on the object's own labels. */
export const labelRules: ParameterisedCheck = {
  name: 'label-rules',
  control: 'K8S-NS-03',
  mode: 'add',
  configured: (p) =>
    p.deniedLabels.length > 0 || p.allowedLabelKeys !== undefined || p.labelValuePatterns.length > 0,
  check: (item, ctx) =>
    keyRuleFailures(item.object.metadata.labels ?? {}, rules(ctx.params), 'label', 'metadata.labels'),
};
