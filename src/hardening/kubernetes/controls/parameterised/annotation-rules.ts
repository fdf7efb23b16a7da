import type { Parameters } from '../../parameters/schema.js';
import { type KeyRules, keyRuleFailures } from './key-rules.js';
import type { ParameterisedCheck } from './types.js';

const rules = (p: Parameters): KeyRules => ({
  denied: p.deniedAnnotations,
  allowedKeys: p.allowedAnnotationKeys,
  patterns: p.annotationValuePatterns,
});

/** Denied annotations, an allow-list of annotation keys and annotation value patterns, on any object. */
export const annotationRules: ParameterisedCheck = {
  name: 'annotation-rules',
  control: 'K8S-NS-04',
  mode: 'add',
  configured: (p) =>
    p.deniedAnnotations.length > 0 ||
    p.allowedAnnotationKeys !== undefined ||
    p.annotationValuePatterns.length > 0,
  check: (item, ctx) =>
    keyRuleFailures(
      item.object.metadata.annotations ?? {},
      rules(ctx.params),
      'annotation',
      'metadata.annotations',
    ),
};
