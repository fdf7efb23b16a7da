import { describe, expect, it } from 'vitest';
import { requestMatches } from './match-resources.js';
import type { CelAdmissionInput } from './types.js';

function input(resource: string, more: Partial<CelAdmissionInput> = {}): CelAdmissionInput {
  return {
    operation: 'UPDATE',
    object: { metadata: { name: 'x', labels: { team: 'a' } } },
    oldObject: null,
    userInfo: {},
    kind: { group: '', version: 'v1', kind: 'Pod' },
    resource: { group: '', version: 'v1', resource },
    namespace: 'default',
    name: 'x',
    dryRun: false,
    ...more,
  };
}

const rule = (resources: string[], extra: Record<string, unknown> = {}) => ({
  resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['*' as const], resources, ...extra }],
});

describe('requestMatches', () => {
  it('reads resources, subresources and wildcards as Kubernetes does', () => {
    expect(requestMatches(rule(['pods']), input('pods'))).toBe(true);
    expect(requestMatches(rule(['pods']), input('pods/status'))).toBe(false);
    expect(requestMatches(rule(['*']), input('pods/status'))).toBe(false);
    expect(requestMatches(rule(['*/*']), input('pods/status'))).toBe(true);
    expect(requestMatches(rule(['pods/*']), input('pods/exec'))).toBe(true);
    expect(requestMatches(rule(['*/scale']), input('deployments/scale'))).toBe(true);
    expect(requestMatches(rule(['pods/status']), input('pods/status'))).toBe(true);
  });

  it('checks operations, scope and resourceNames', () => {
    expect(requestMatches(rule(['pods'], { operations: ['CREATE'] }), input('pods'))).toBe(false);
    expect(requestMatches(rule(['pods'], { scope: 'Cluster' }), input('pods'))).toBe(false);
    expect(
      requestMatches(rule(['nodes'], { scope: 'Cluster' }), input('nodes', { namespace: undefined })),
    ).toBe(true);
    expect(requestMatches(rule(['pods'], { resourceNames: ['y'] }), input('pods'))).toBe(false);
  });

  it('matches a Namespace request on its own labels and always passes other cluster-scoped requests', () => {
    const selector = { ...rule(['*']), namespaceSelector: { matchLabels: { team: 'a' } } };
    expect(requestMatches(selector, input('namespaces', { namespace: undefined }))).toBe(true);
    expect(requestMatches(selector, input('nodes', { namespace: undefined }))).toBe(true);
    expect(requestMatches(selector, input('pods'))).toBe(false);
    const ns = { metadata: { name: 'default', labels: { team: 'a' } } };
    expect(requestMatches(selector, input('pods', { namespaceObject: ns }))).toBe(true);
  });

  it('leaves a binding without resourceRules to its policy', () => {
    expect(requestMatches({ objectSelector: { matchLabels: { team: 'a' } } }, input('pods'), true)).toBe(
      true,
    );
    expect(requestMatches({ objectSelector: { matchLabels: { team: 'b' } } }, input('pods'), true)).toBe(
      false,
    );
  });
});
