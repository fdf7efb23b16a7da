import type { KubeObject, LoadedObject } from './objects/types.js';

/** The other objects a control may look at: the whole bundle offline, the listed objects live. Indexed once. */
export class Inventory {
  private readonly kinds = new Map<string, LoadedObject[]>();
  private readonly byNamespace = new Map<string, LoadedObject[]>();
  private readonly byName = new Map<string, LoadedObject[]>();
  private readonly memo = new Map<string, unknown>();

  constructor(readonly items: readonly LoadedObject[]) {
    for (const item of items) {
      const o = item.object;
      push(this.kinds, o.kind, item);
      push(this.byNamespace, `${o.kind}\u0000${o.metadata.namespace ?? 'default'}`, item);
      if (o.metadata.name) push(this.byName, `${o.kind}\u0000${o.metadata.name}`, item);
    }
  }

  ofKind(...kinds: string[]): LoadedObject[] {
    if (kinds.length === 1) return this.kinds.get(kinds[0]!) ?? [];
    return kinds.flatMap((k) => this.kinds.get(k) ?? []);
  }

  /** Objects of the kinds in a namespace (an unset namespace counts as `default`). */
  inNamespace(namespace: string | undefined, ...kinds: string[]): LoadedObject[] {
    const ns = namespace ?? 'default';
    if (kinds.length === 1) return this.byNamespace.get(`${kinds[0]}\u0000${ns}`) ?? [];
    return kinds.flatMap((k) => this.byNamespace.get(`${k}\u0000${ns}`) ?? []);
  }

  find(kind: string, name: string, namespace?: string): KubeObject | undefined {
    return this.findItem(kind, name, namespace)?.object;
  }

  /** The same, with where the object came from. */
  findItem(kind: string, name: string, namespace?: string): LoadedObject | undefined {
    return this.byName
      .get(`${kind}\u0000${name}`)
      ?.find((i) => namespace === undefined || (i.object.metadata.namespace ?? 'default') === namespace);
  }

  /** Compute a derived index once per inventory (RBAC graph, selectors…). */
  cached<T>(key: string, build: () => T): T {
    if (!this.memo.has(key)) this.memo.set(key, build());
    return this.memo.get(key) as T;
  }
}

function push<K>(map: Map<K, LoadedObject[]>, key: K, item: LoadedObject): void {
  const list = map.get(key);
  if (list) list.push(item);
  else map.set(key, [item]);
}
