import { LineCounter, parseAllDocuments } from 'yaml';
import type {
  AdmissionContext,
  Json,
  KubeObject,
  LoadError,
  LoadedObject,
  LoadResult,
  ObjectInput,
} from './types.js';

/** Documents larger than this are refused (a YAML alias bomb expands far beyond its text). */
const MAX_ALIAS_COUNT = 100;

export function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Parse Kubernetes objects from YAML/JSON texts: multi-document YAML, JSON, `*List` kinds, Helm-rendered
 * output (comments, empty documents) and AdmissionReview bodies (v1 and v1beta1). Pure: no I/O.
 * A malformed document is reported with its file and document index; the others are still returned.
 * @example loadObjects([{ name: 'pod.yaml', text: 'apiVersion: v1\nkind: Pod\nmetadata: {name: a}' }])
 */
/** JSON text above this size is parsed with JSON.parse rather than the YAML parser. */
const JSON_NATIVE_BYTES = 1 << 20;
/** Largest YAML (not JSON) manifest text parsed: the YAML syntax tree needs ~80× the text in memory. */
export const MAX_YAML_BYTES = 8 << 20;

export function loadObjects(inputs: readonly ObjectInput[]): LoadResult {
  const objects: LoadedObject[] = [];
  const errors: LoadError[] = [];
  for (const input of inputs) loadText(input, objects, errors);
  return { objects, errors };
}

/**
 * Objects of an already-parsed JSON value (an AdmissionReview body the webhook has parsed, a List…), without a
 * second YAML pass; the value is normalised in place, so give a copy you own.
 */
export function loadParsed(value: unknown, name: string): LoadResult {
  const objects: LoadedObject[] = [];
  const errors: LoadError[] = [];
  addValue(value, { name, docIndex: 0, line: 1, itemLines: [] }, objects, errors);
  return { objects, errors };
}

/** A `*List` document with items: the YAML parser's tree gives each item its line. */
function isItemList(value: unknown): boolean {
  return (
    isRecord(value) &&
    typeof value.kind === 'string' &&
    value.kind.endsWith('List') &&
    Array.isArray(value.items)
  );
}

function loadText(input: ObjectInput, objects: LoadedObject[], errors: LoadError[]): void {
  const { name, text } = input;
  if (text.includes('\u0000')) {
    errors.push({ file: name, reason: 'binary content, not YAML or JSON' });
    return;
  }
  // JSON is parsed natively: the YAML parser's syntax tree costs ~80 bytes of memory and ~4 µs per input byte
  // (a third of a manifests-corpus scan went to its 1,285 JSON files). A small List still goes through the YAML
  // parser, whose tree gives each item its line; a large one is parsed natively and its items carry none.
  const lead = /^\s*/.exec(text)![0];
  if (text[lead.length] === '{' || text[lead.length] === '[') {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      value = undefined;
    }
    if (value !== undefined && (text.length > JSON_NATIVE_BYTES || !isItemList(value))) {
      const line = 1 + (lead.match(/\n/g)?.length ?? 0);
      addValue(value, { name, docIndex: 0, line, itemLines: [] }, objects, errors);
      return;
    }
  }
  if (text.length > MAX_YAML_BYTES) {
    errors.push({
      file: name,
      reason: `YAML larger than ${MAX_YAML_BYTES} bytes: give large inputs as JSON (kubectl get -o json)`,
    });
    return;
  }
  const lineCounter = new LineCounter();
  let docs: ReturnType<typeof parseAllDocuments>;
  try {
    const parsed = parseAllDocuments(text, {
      lineCounter,
      uniqueKeys: false,
      version: '1.2',
      logLevel: 'error',
    });
    docs = Array.isArray(parsed) ? parsed : [];
  } catch (error) {
    errors.push({ file: name, reason: (error as Error).message });
    return;
  }
  docs.forEach((doc, docIndex) => {
    const start =
      (doc.contents as { range?: [number, number, number] } | null)?.range?.[0] ?? doc.range?.[0] ?? 0;
    const line = lineCounter.linePos(start).line;
    if (doc.errors.length > 0) {
      errors.push({ file: name, docIndex, line, reason: firstLine(doc.errors[0]!.message) });
      return;
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (error) {
      errors.push({ file: name, docIndex, line, reason: firstLine((error as Error).message) });
      return;
    }
    if (value === null || value === undefined) return; // empty document (Helm `---` with nothing)
    const itemLines = listItemLines(doc, lineCounter);
    addValue(value, { name, docIndex, line, itemLines }, objects, errors);
  });
}

interface Place {
  name: string;
  docIndex: number;
  line: number;
  itemLines: number[];
}

function addValue(value: unknown, place: Place, objects: LoadedObject[], errors: LoadError[]): void {
  const { name, docIndex, line } = place;
  if (!isRecord(value)) {
    errors.push({
      file: name,
      docIndex,
      line,
      reason: 'document is not a Kubernetes object (not a mapping)',
    });
    return;
  }
  const kind = value.kind;
  const apiVersion = value.apiVersion;
  if (typeof kind !== 'string' || typeof apiVersion !== 'string' || kind === '' || apiVersion === '') {
    errors.push({ file: name, docIndex, line, reason: 'missing apiVersion or kind' });
    return;
  }
  if (kind === 'AdmissionReview') {
    addAdmissionReview(value, place, objects, errors);
    return;
  }
  if (kind.endsWith('List') && Array.isArray(value.items)) {
    value.items.forEach((item, i) => {
      const itemLine = place.itemLines[i] ?? line;
      if (!isObject(item)) {
        errors.push({
          file: name,
          docIndex,
          line: itemLine,
          reason: `items[${i}] is not a Kubernetes object`,
        });
        return;
      }
      objects.push({
        object: normaliseMeta(item),
        source: { file: name, docIndex, line: itemLine, path: `items[${i}]` },
      });
    });
    return;
  }
  objects.push({ object: normaliseMeta(value as KubeObject), source: { file: name, docIndex, line } });
}

function addAdmissionReview(value: Json, place: Place, objects: LoadedObject[], errors: LoadError[]): void {
  const { name, docIndex, line } = place;
  const request = value.request;
  if (isRecord(request)) {
    withRequestKind(request.object, request.kind);
    withRequestKind(request.oldObject, request.kind);
  }
  if (!isRecord(request) || !isObject(request.object ?? request.oldObject)) {
    errors.push({ file: name, docIndex, line, reason: 'AdmissionReview without request.object' });
    return;
  }
  const operation = typeof request.operation === 'string' ? request.operation : undefined;
  const object = (isObject(request.object) ? request.object : request.oldObject) as KubeObject;
  const admission: AdmissionContext = {
    apiVersion: String(value.apiVersion),
    ...(typeof request.uid === 'string' ? { uid: request.uid } : {}),
    ...(operation ? { operation } : {}),
    ...(isObject(request.oldObject) ? { oldObject: normaliseMeta(request.oldObject) } : {}),
    ...(isRecord(request.userInfo) ? { userInfo: request.userInfo as AdmissionContext['userInfo'] } : {}),
    ...(typeof request.namespace === 'string' ? { namespace: request.namespace } : {}),
  };
  const normalised = normaliseMeta(object);
  if (!normalised.metadata.namespace && admission.namespace)
    normalised.metadata.namespace = admission.namespace;
  objects.push({
    object: normalised,
    source: { file: name, docIndex, line, path: 'request.object' },
    admission,
  });
}

/**
 * The request's `kind` (group, version, kind) is the type of its objects: an object that omits apiVersion/kind
 * (trimmed or hand-written requests) takes them from there.
 */
function withRequestKind(object: unknown, gvk: unknown): void {
  if (!isRecord(object) || !isRecord(gvk) || typeof gvk.kind !== 'string' || typeof gvk.version !== 'string')
    return;
  const group = typeof gvk.group === 'string' ? gvk.group : '';
  object.apiVersion ??= group ? `${group}/${gvk.version}` : gvk.version;
  object.kind ??= gvk.kind;
}

function isObject(value: unknown): value is KubeObject {
  return isRecord(value) && typeof value.kind === 'string' && typeof value.apiVersion === 'string';
}

/** Guarantee `metadata` is a mapping so that controls never test for it. */
function normaliseMeta(object: KubeObject): KubeObject {
  if (!isRecord(object.metadata)) (object as Json).metadata = {};
  return object;
}

function listItemLines(doc: ReturnType<typeof parseAllDocuments>[number], lc: LineCounter): number[] {
  const contents = doc.contents as { items?: { key?: { value?: unknown }; value?: unknown }[] } | null;
  const items = contents?.items?.find((p) => p.key && (p.key as { value?: unknown }).value === 'items')
    ?.value as { items?: { range?: [number, number, number] }[] } | undefined;
  if (!items?.items) return [];
  return items.items.map((n) => (n.range ? lc.linePos(n.range[0]).line : 0));
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.trim();
}

/** `Kind namespace/name` for messages. */
export function objectLabel(object: KubeObject): string {
  const ns = object.metadata.namespace ? `${object.metadata.namespace}/` : '';
  return `${object.kind} ${ns}${object.metadata.name ?? object.metadata.generateName ?? '(unnamed)'}`;
}
