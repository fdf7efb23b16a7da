import type { LoadedObject } from '../objects/types.js';
import { search } from './jmespath/search.js';
import { isObject } from './values.js';
import { substituteAll } from './variables.js';

type Rec = Record<string, unknown>;

/** Kyverno's `images` variable: per container list, per container name, the parts of its image reference. */
export function imagesOf(object: Rec, specPath: string[] = ['spec']): Rec {
  let spec: unknown = object;
  for (const k of specPath) spec = isObject(spec) ? spec[k] : undefined;
  const out: Rec = {};
  if (!isObject(spec)) return out;
  for (const list of ['containers', 'initContainers', 'ephemeralContainers']) {
    const items = Array.isArray(spec[list]) ? spec[list].filter(isObject) : [];
    if (items.length === 0) continue;
    const byName: Rec = {};
    for (const c of items) {
      if (typeof c.image !== 'string') continue;
      byName[String(c.name ?? '')] = imageParts(c.image);
    }
    out[list] = byName;
  }
  return out;
}

/** `nginx` → registry docker.io, path nginx, name nginx, tag latest (as Kyverno completes references). */
export function imageParts(image: string): Rec {
  const [rest, digest] = image.split('@', 2) as [string, string | undefined];
  const first = rest.split('/')[0]!;
  const hasRegistry =
    rest.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  const registry = hasRegistry ? first : 'docker.io';
  const remainder = hasRegistry ? rest.slice(first.length + 1) : rest;
  const colon = remainder.lastIndexOf(':');
  const path = colon > 0 ? remainder.slice(0, colon) : remainder;
  const tag = colon > 0 ? remainder.slice(colon + 1) : digest ? '' : 'latest';
  return {
    registry,
    path,
    name: path.split('/').pop() ?? path,
    tag,
    digest: digest ?? '',
    reference: `${registry}/${path}${tag ? `:${tag}` : ''}${digest ? `@${digest}` : ''}`,
    referenceWithTag: `${registry}/${path}:${tag}`,
  };
}

/** The JMESPath context of one evaluation: `request`, `serviceAccountName`, `images`, and rule variables. */
export function baseContext(object: Rec, item: LoadedObject): Rec {
  const a = item.admission;
  const username = a?.userInfo?.username ?? '';
  const sa = /^system:serviceaccount:([^:]+):(.+)$/.exec(username);
  const apiVersion = String(object.apiVersion ?? '');
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/', 2) : ['', apiVersion];
  const metadata = isObject(object.metadata) ? object.metadata : {};
  return {
    request: {
      ...(a?.operation ? { operation: a.operation } : {}),
      object,
      oldObject: a?.oldObject ?? null,
      userInfo: a?.userInfo ?? {},
      namespace: a?.namespace ?? metadata.namespace ?? '',
      name: metadata.name ?? '',
      kind: { group, version, kind: object.kind },
    },
    serviceAccountName: sa?.[2] ?? '',
    serviceAccountNamespace: sa?.[1] ?? '',
    images: imagesOf(object),
  };
}

/**
 * Values supplied from outside (a Kyverno CLI values file): `name` or a dotted path (`request.operation`) each,
 * set into a copy of the context.
 */
export function withValues(context: Rec, values: Readonly<Record<string, unknown>> | undefined): Rec {
  if (!values || Object.keys(values).length === 0) return context;
  const out: Rec = { ...context };
  for (const [key, value] of Object.entries(values)) {
    const parts = key.split('.');
    let at = out;
    for (const p of parts.slice(0, -1)) {
      at[p] = isObject(at[p]) ? { ...(at[p] as Rec) } : {};
      at = at[p] as Rec;
    }
    at[parts[parts.length - 1]!] = value;
  }
  return out;
}

/**
 * Add a rule's `context` variable entries (`variable.value` / `jmesPath` / `default`); entries named in
 * `supplied` keep the value given from outside.
 */
export function withVariables(context: Rec, entries: readonly Rec[], supplied?: ReadonlySet<string>): Rec {
  if (entries.length === 0) return context;
  const out: Rec = { ...context };
  for (const e of entries) {
    if (!isObject(e.variable) || typeof e.name !== 'string' || supplied?.has(e.name)) continue;
    const v = e.variable;
    let value: unknown = v.value !== undefined ? substituteAll(v.value, out) : null;
    if (typeof v.jmesPath === 'string')
      value = search(v.value !== undefined ? value : out, String(substituteAll(v.jmesPath, out)));
    if ((value === null || value === undefined) && v.default !== undefined)
      value = substituteAll(v.default, out);
    out[e.name] = value ?? null;
  }
  return out;
}
