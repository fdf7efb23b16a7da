import type { Command } from 'commander';
import type { CatalogOptions } from '../sbom/catalog.js';

/** Flags every command that reads an image shares: where it comes from, and what of it to leave out. */
export interface ImageSourceFlags {
  platform?: string;
  insecureRegistry?: boolean;
  username?: string;
  password?: string;
  skipDirs?: string[];
  skipFiles?: string[];
}

const collect = (value: string, previous: string[] | undefined) => [...(previous ?? []), value];

/** Declares the image source flags on `command` (sbom, image scan). */
export function withImageSourceOptions(command: Command): Command {
  return command
    .option('--platform <os/arch[/variant]>', 'platform to pick from a multi-platform image', 'linux/amd64')
    .option('--insecure-registry', 'allow plain HTTP / unverified TLS to the registry')
    .option('--username <user>', 'registry user (else ~/.docker/config.json: credHelpers, credsStore, auths)')
    .option('--password <password>', 'registry password (or $BULKHEAD_REGISTRY_PASSWORD)')
    .option(
      '--skip-dirs <glob>',
      'a directory to leave out (a glob such as **/testdata, relative to the image or directory root); repeatable',
      collect,
    )
    .option('--skip-files <glob>', 'a file to leave out (a glob such as **/*.jar); repeatable', collect);
}

/** The catalog options the flags ask for. */
export function catalogOptionsOf(flags: ImageSourceFlags): CatalogOptions {
  const password = flags.password ?? process.env.BULKHEAD_REGISTRY_PASSWORD;
  return {
    ...(flags.platform ? { platform: flags.platform } : {}),
    ...(flags.insecureRegistry ? { insecureRegistry: true } : {}),
    ...(flags.username ? { username: flags.username } : {}),
    ...(password ? { password } : {}),
    ...(flags.skipDirs?.length ? { skipDirs: flags.skipDirs } : {}),
    ...(flags.skipFiles?.length ? { skipFiles: flags.skipFiles } : {}),
  };
}
