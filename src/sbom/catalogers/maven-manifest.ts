import { baseOf } from '../lang.js';
import { type Cataloger, type Found, MiB } from '../types.js';

function tag(xml: string, name: string): string | undefined {
  return new RegExp(`<${name}>\\s*([^<]*?)\\s*</${name}>`).exec(xml)?.[1];
}

function stripBlocks(xml: string, name: string): string {
  return xml.replace(new RegExp(`<${name}>[\\s\\S]*?</${name}>`, 'g'), '');
}

/**
 * pom.xml direct dependencies with their versions resolved from `<properties>` (test scope left out;
 * parents and transitive dependencies need a repository and are not fetched).
 */
function pom(xml: string): Found[] {
  const text = xml.replace(/<!--[\s\S]*?-->/g, '');
  const props = new Map<string, string>();
  const propBlock = /<properties>([\s\S]*?)<\/properties>/.exec(text)?.[1] ?? '';
  for (const m of propBlock.matchAll(/<([\w.-]+)>\s*([^<]*?)\s*<\/\1>/g)) props.set(m[1]!, m[2]!);
  const head = stripBlocks(stripBlocks(stripBlocks(text, 'dependencies'), 'build'), 'dependencyManagement');
  const projectVersion = tag(stripBlocks(head, 'parent'), 'version') ?? tag(head, 'version');
  if (projectVersion) props.set('project.version', projectVersion);
  const resolve = (v: string | undefined) =>
    v?.replace(/\$\{([^}]+)\}/g, (_, k: string) => props.get(k) ?? `\${${k}}`);
  const deps =
    /<dependencies>([\s\S]*?)<\/dependencies>/.exec(
      stripBlocks(stripBlocks(text, 'dependencyManagement'), 'build'),
    )?.[1] ?? '';
  const found: Found[] = [];
  for (const m of deps.matchAll(/<dependency>([\s\S]*?)<\/dependency>/g)) {
    const d = m[1]!;
    const group = resolve(tag(d, 'groupId'));
    const artifact = resolve(tag(d, 'artifactId'));
    const version = resolve(tag(d, 'version'));
    if (tag(d, 'scope') === 'test' || !group || !artifact || !version || version.includes('${')) continue;
    found.push({ name: `${group}:${artifact}`, version, namespace: group });
  }
  return found;
}

/** gradle.lockfile, buildscript-gradle.lockfile: `group:artifact:version=configurations`. */
function gradleLock(text: string): Found[] {
  const found: Found[] = [];
  for (const line of text.split(/\r?\n/)) {
    const m = /^([^#=\s:]+):([^=\s:]+):([^=\s:]+)=/.exec(line.trim());
    if (m) found.push({ name: `${m[1]}:${m[2]}`, version: m[3]!, namespace: m[1]! });
  }
  return found;
}

/** Maven and Gradle build manifests of Java projects: pom.xml, `*gradle.lockfile`. */
export const mavenManifest: Cataloger = {
  name: 'maven-manifest',
  kind: 'manifest',
  version: 1,
  type: 'maven',
  wants: (path) =>
    /(?:^|\/)(?:pom\.xml|[^/]*gradle\.lockfile)$/.test(path) ? { maxBytes: 8 * MiB } : undefined,
  parse(file) {
    const text = file.content.toString('utf8');
    return baseOf(file.path) === 'pom.xml' ? pom(text) : gradleLock(text);
  },
};
