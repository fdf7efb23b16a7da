/** A Kubernetes object as read from a manifest, a cluster or an AdmissionReview. Fields stay untyped JSON. */
export type Json = Record<string, unknown>;

export interface KubeObject extends Json {
  apiVersion: string;
  kind: string;
  metadata: {
    name?: string;
    generateName?: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: Json[];
    [key: string]: unknown;
  };
}

/** Where an object came from. */
export interface ObjectSource {
  /** File path, `-` for stdin, or `cluster` for live objects. */
  file?: string;
  /** 0-based index of the YAML document in the file. */
  docIndex?: number;
  /** 1-based line of the document (or List item) start. */
  line?: number;
  /** Path inside the document when the object is a List item or an AdmissionReview object. @example 'items[2]' */
  path?: string;
}

/** What an AdmissionReview adds: only meaningful to admission-scoped controls. */
export interface AdmissionContext {
  apiVersion: string;
  uid?: string;
  operation?: string;
  oldObject?: KubeObject;
  userInfo?: { username?: string; groups?: string[] };
  namespace?: string;
}

export interface LoadedObject {
  /** The object as controls judge it: with the API server's defaults once evaluation has applied them. */
  object: KubeObject;
  /** The object as written, when defaulting changed it (objects/defaults.ts). */
  given?: KubeObject;
  source: ObjectSource;
  admission?: AdmissionContext;
}

/** A document that could not be assessed. The rest of the input still is. */
export interface LoadError {
  file: string;
  docIndex?: number;
  line?: number;
  reason: string;
}

export interface LoadResult {
  objects: LoadedObject[];
  errors: LoadError[];
}

/** One input text: its name (path or `-`) and content. */
export interface ObjectInput {
  name: string;
  text: string;
}
