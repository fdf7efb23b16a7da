import type { KubeObject, LoadedObject } from './objects/types.js';

/** The other objects a control may look at: the whole bundle offline, the listed objects live. Indexed once. */
export class Inventory {
  private readonly kinds = new Map<string, LoadedObject[]>();
  private readonly memo = new Map<string, unknown>();

  constructor(readonly items: readonly LoadedObject[]) {
    for (const item of items) {
      const list = this.kinds.get(item.object.kind);
      if (list) list.push(item);
      else this.kinds.set(item.object.kind, [item]);
    }
  }

  ofKind(...kinds: string[]): LoadedObject[] {
    return kinds.flatMap((k) => this.kinds.get(k) ?? []);
  }

  inNamespace(namespace: string | undefined, ...kinds: string[]): LoadedObject[] {
    return this.ofKind(...kinds).filter(
      (i) => (i.object.metadata.namespace ?? 'default') === (namespace ?? 'default'),
    );
  }

  find(kind: string, name: string, namespace?: string): KubeObject | undefined {
    return this.ofKind(kind).find(
      (i) =>
        i.object.metadata.name === name &&
        (namespace === undefined || (i.object.metadata.namespace ?? 'default') === namespace),
    )?.object;
  }

  /** Compute a derived index once per inventory (RBAC graph, selectors…). */
  cached<T>(key: string, build: () => T): T {
    if (!this.memo.has(key)) this.memo.set(key, build());
    return this.memo.get(key) as T;
  }
}
