/** An AdmissionReview request as kube-apiserver POSTs it to a validating webhook, checked before any decision. */

export const REVIEW_VERSIONS = ['admission.k8s.io/v1', 'admission.k8s.io/v1beta1'] as const;
export type ReviewVersion = (typeof REVIEW_VERSIONS)[number];

export const OPERATIONS = ['CREATE', 'UPDATE', 'DELETE', 'CONNECT'] as const;
export type Operation = (typeof OPERATIONS)[number];

/** Deeper than any real Kubernetes object; bounds the work (and the recursion) spent on hostile bodies. */
export const MAX_DEPTH = 100;

/** A body that is not a usable AdmissionReview. The server answers 400 with `message`; the CLI exits 2. */
export class ReviewError extends Error {
  override readonly name = 'ReviewError';
}

export interface UserInfo {
  username?: string;
  groups?: string[];
}

export interface ParsedReview {
  apiVersion: ReviewVersion;
  uid: string;
  operation: Operation;
  /** request.namespace, else the object's (or oldObject's) metadata.namespace. */
  namespace?: string;
  /** The request's kind as `group/version/Kind` (core group: `v1/Pod`). */
  kind?: string;
  /** request.name, else the object's (or oldObject's) metadata.name. */
  name?: string;
  userInfo: UserInfo;
  dryRun: boolean;
  /** The parsed `request` (object, oldObject, userInfo, options…), for checks that read more fields (CEL). */
  request: Record<string, unknown>;
  /** The body as text: the posture engine's loader reads the object (and oldObject, userInfo) from it. */
  text: string;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** A non-empty string, else undefined. */
const nonEmpty = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** Nesting depth of a JSON value, without recursion (a hostile body cannot overflow the stack). */
function depthOf(value: unknown): number {
  let max = 0;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length) {
    const [v, d] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (d > max) max = d;
    if (max > MAX_DEPTH) return max;
    for (const child of Object.values(v)) stack.push([child, d + 1]);
  }
  return max;
}

/** Decode, parse and check an AdmissionReview body; every problem is a ReviewError with a one-line reason. */
export function parseReview(body: Uint8Array | string): ParsedReview {
  let text: string;
  if (typeof body === 'string') text = body;
  else {
    try {
      text = utf8.decode(body);
    } catch {
      throw new ReviewError('body is not valid UTF-8');
    }
  }
  if (text.trim() === '') throw new ReviewError('empty body: expected an AdmissionReview (JSON)');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ReviewError(`body is not valid JSON: ${(error as Error).message}`);
  }
  if (!isRecord(value)) throw new ReviewError('body is not a JSON object: expected an AdmissionReview');
  if (depthOf(value) > MAX_DEPTH) throw new ReviewError(`body is nested deeper than ${MAX_DEPTH} levels`);
  if (value.kind !== 'AdmissionReview')
    throw new ReviewError(`kind is ${JSON.stringify(value.kind ?? null)}, expected AdmissionReview`);
  const apiVersion = value.apiVersion;
  if (!(REVIEW_VERSIONS as readonly unknown[]).includes(apiVersion))
    throw new ReviewError(
      `apiVersion ${JSON.stringify(apiVersion ?? null)} is not one of ${REVIEW_VERSIONS.join(', ')}`,
    );
  const request = value.request;
  if (!isRecord(request)) throw new ReviewError('AdmissionReview has no request');
  if (typeof request.uid !== 'string' || request.uid === '')
    throw new ReviewError('request.uid is missing (it must be echoed in the response)');
  const operation = request.operation;
  if (!(OPERATIONS as readonly unknown[]).includes(operation))
    throw new ReviewError(
      `request.operation ${JSON.stringify(operation ?? null)} is not one of ${OPERATIONS.join(', ')}`,
    );
  if ((operation === 'CREATE' || operation === 'UPDATE') && !isRecord(request.object))
    throw new ReviewError(`request.object is missing for ${operation}`);
  const object = isRecord(request.object)
    ? request.object
    : isRecord(request.oldObject)
      ? request.oldObject
      : {};
  const metadata = isRecord(object.metadata) ? object.metadata : {};
  const namespace = nonEmpty(request.namespace) ?? nonEmpty(metadata.namespace);
  const user = isRecord(request.userInfo) ? request.userInfo : {};
  const gvk = isRecord(request.kind) ? request.kind : {};
  const kind =
    typeof gvk.kind === 'string' && typeof gvk.version === 'string'
      ? `${typeof gvk.group === 'string' && gvk.group ? `${gvk.group}/` : ''}${gvk.version}/${gvk.kind}`
      : typeof object.kind === 'string' && typeof object.apiVersion === 'string'
        ? `${object.apiVersion}/${object.kind}`
        : undefined;
  const name = nonEmpty(request.name) ?? nonEmpty(metadata.name);
  return {
    apiVersion: apiVersion as ReviewVersion,
    uid: request.uid,
    operation: operation as Operation,
    ...(namespace ? { namespace } : {}),
    ...(kind ? { kind } : {}),
    ...(name ? { name } : {}),
    userInfo: {
      ...(typeof user.username === 'string' ? { username: user.username } : {}),
      ...(Array.isArray(user.groups) ? { groups: user.groups.map(String) } : {}),
    },
    dryRun: request.dryRun === true,
    request,
    text,
  };
}
