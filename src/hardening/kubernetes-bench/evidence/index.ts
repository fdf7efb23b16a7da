import { readFile } from 'node:fs/promises';
import { hostname as osHostname } from 'node:os';
import { join, posix } from 'node:path';
import { parse } from 'yaml';
import { errorMessage } from '../../../core/errors.js';
import { HostFs } from '../../docker/evidence/host-fs.js';
import {
  type ComponentEvidence,
  type ComponentName,
  type Evidence,
  type FileRef,
  type FileStat,
  missing,
  ok,
  type Source,
} from '../types.js';
import { parseFlags } from './flags.js';
import { KUBEADM, manifestCandidates, pathsOf, TREE_REFS } from './paths.js';
import { componentOf, type ProcessEntry, readEnviron, readProcesses } from './processes.js';

export interface CollectOptions {
  /** Node file root (`/`, or where the node's root is mounted); processes are read from ROOT/proc. */
  root: string;
  /** The file references the selected controls need. */
  files: readonly FileRef[];
}

const MASTER: readonly ComponentName[] = [
  'kube-apiserver',
  'kube-controller-manager',
  'kube-scheduler',
  'etcd',
];

async function readYaml(fs: HostFs, path: string): Promise<Source<Record<string, unknown> | null>> {
  const text = await fs.readText(path);
  if (!text.ok) return text;
  if (text.value === null) return ok(null);
  try {
    const value = parse(text.value) as unknown;
    if (value === null || typeof value !== 'object' || Array.isArray(value))
      return missing(`${path}: not a YAML mapping`);
    return ok(value as Record<string, unknown>);
  } catch (error) {
    return missing(`${path}: ${errorMessage(error)}`);
  }
}

/** The command line of a static pod's first container (command + args), or null when the file has none. */
function manifestArgs(manifest: Record<string, unknown>): string[] | null {
  const spec = manifest.spec as { containers?: { command?: unknown; args?: unknown }[] } | undefined;
  const container = spec?.containers?.[0];
  if (!container) return null;
  const strings = (v: unknown) => (Array.isArray(v) ? v.map(String) : []);
  return [...strings(container.command), ...strings(container.args)];
}

async function component(
  fs: HostFs,
  procDir: string,
  name: ComponentName,
  process: { entry: ProcessEntry; args: string[] } | undefined,
  manifestDir: string,
): Promise<ComponentEvidence | null> {
  let manifest: string | null = null;
  let args = process?.args ?? null;
  if (MASTER.includes(name)) {
    for (const path of manifestCandidates(manifestDir, name)) {
      const doc = await readYaml(fs, path);
      if (!doc.ok || doc.value === null) continue;
      manifest = path;
      // a running process is what is in force; the manifest speaks only when the component is not running
      if (!args) args = manifestArgs(doc.value)?.slice(1) ?? null;
      break;
    }
  }
  if (!args) return null;
  const flags = parseFlags(args);
  const env = process ? await readEnviron(procDir, process.entry.pid) : {};
  const configPath = name === 'kubelet' || name === 'kube-proxy' ? flags.get('config') : undefined;
  return {
    name,
    process: process ? { pid: process.entry.pid, argv: process.entry.argv } : null,
    manifest,
    flags,
    env: Object.fromEntries(Object.entries(env).filter(([k]) => k.startsWith('ETCD_'))),
    config: configPath ? { path: configPath, value: await readYaml(fs, configPath) } : null,
  };
}

async function tree(fs: HostFs, dir: string): Promise<Source<FileStat[] | null>> {
  const top = await fs.stat(dir);
  if (!top.ok) return top;
  if (top.value === null) return ok(null);
  const out: FileStat[] = [top.value];
  const walk = async (path: string, depth: number): Promise<string | null> => {
    const list = await fs.list(path);
    if (!list.ok) return list.reason;
    for (const name of list.value ?? []) {
      const child = posix.join(path, name);
      const s = await fs.stat(child);
      if (!s.ok) return s.reason;
      if (!s.value) continue;
      out.push(s.value);
      if (s.value.type === 'directory' && depth < 8) {
        const error = await walk(child, depth + 1);
        if (error) return error;
      }
    }
    return null;
  };
  const error = top.value.type === 'directory' ? await walk(dir, 0) : null;
  return error ? missing(error) : ok(out);
}

async function nodeName(fs: HostFs, root: string): Promise<string> {
  if (root === '/') return osHostname();
  const text = await fs.readText('/etc/hostname');
  return (text.ok && text.value?.trim()) || osHostname();
}

/**
 * Everything the node part of the benchmark judges, read once: the component processes from ROOT/proc (or their
 * static pod manifests), their config files, and the files and directories the selected controls name. Reads
 * only; an unreadable piece is kept as its reason.
 */
export async function collectEvidence(options: CollectOptions): Promise<Evidence> {
  const fs = new HostFs(options.root);
  const procDir = join(options.root, 'proc');
  const processes = await readProcesses(procDir);
  const running = new Map<ComponentName, { entry: ProcessEntry; args: string[] }>();
  for (const entry of processes.ok ? processes.value : []) {
    const c = componentOf(entry);
    if (c && !running.has(c.name)) running.set(c.name, { entry, args: c.args });
  }
  const components = new Map<ComponentName, ComponentEvidence>();
  const kubelet = await component(fs, procDir, 'kubelet', running.get('kubelet'), KUBEADM.manifestDir);
  if (kubelet) components.set('kubelet', kubelet);
  const kubeletConfig = kubelet?.config?.value.ok ? kubelet.config.value.value : null;
  const manifestDir =
    (typeof kubeletConfig?.staticPodPath === 'string' && kubeletConfig.staticPodPath) ||
    kubelet?.flags.get('pod-manifest-path') ||
    KUBEADM.manifestDir;
  const others = await Promise.all(
    (['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'etcd', 'kube-proxy'] as const).map(
      (n) => component(fs, procDir, n, running.get(n), manifestDir),
    ),
  );
  for (const c of others) if (c) components.set(c.name, c);

  const files = new Map<string, Source<FileStat | null>>();
  const trees = new Map<string, Source<FileStat[] | null>>();
  for (const ref of new Set(options.files)) {
    for (const path of pathsOf(ref, components, manifestDir)) {
      if (TREE_REFS.has(ref)) {
        if (!trees.has(path)) trees.set(path, await tree(fs, path));
      } else if (!files.has(path)) files.set(path, await fs.stat(path));
    }
  }
  return {
    hostname: await nodeName(fs, options.root),
    root: options.root,
    components,
    processError: processes.ok ? null : processes.reason,
    manifestDir,
    files,
    trees,
    policies: null,
  };
}

/** Whether ROOT/proc can be read at all (the CLI refuses a root without it: every component would look absent). */
export async function procReadable(root: string): Promise<boolean> {
  try {
    await readFile(join(root, 'proc', 'self', 'stat'));
    return true;
  } catch {
    return (await readProcesses(join(root, 'proc'))).ok;
  }
}
