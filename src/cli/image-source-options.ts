import type { Command } from 'commander';
import { UserInputError } from '../core/errors.js';
import type { CatalogOptions } from '../sbom/catalog.js';
import { readStdin } from './access-support.js';

/** Flags every command that reads an image shares: where it comes from, and what of it to leave out. */
export interface ImageSourceFlags {
  platform?: string;
  insecureRegistry?: boolean;
  username?: string;
  passwordStdin?: boolean;
  skipDirs?: string[];
  skipFiles?: string[];
  detectionPriority?: string;
}

const collect = (value: string, previous: string[] | undefined) => [...(previous ?? []), value];

/** Declares the image source flags on `command` (sbom, image scan). */
export function withImageSourceOptions(command: Command): Command {
  return (
    command
      .option('--platform <os/arch[/variant]>', 'platform to pick from a multi-platform image', 'linux/amd64')
      .option('--insecure-registry', 'allow plain HTTP / unverified TLS to the registry')
      .option(
        '--username <user>',
        'registry user (else ~/.docker/config.json: credHelpers, credsStore, auths)',
      )
      // a secret on the command line shows in `ps` and shell history: standard input, a variable or config only
      .option(
        '--password-stdin',
        'read the registry password from standard input (else $BULKHEAD_REGISTRY_PASSWORD, then ~/.docker/config.json)',
      )
      .option(
        '--skip-dirs <glob>',
        'a directory to leave out (a glob such as **/testdata, relative to the image or directory root); repeatable',
        collect,
      )
      .option('--skip-files <glob>', 'a file to leave out (a glob such as **/*.jar); repeatable', collect)
      .option(
        '--detection-priority <mode>',
        'precise (default): leave out language packages an OS package installed; comprehensive: list them too (config detectionPriority)',
      )
  );
}

/** Check the flags without reading anything (options are validated before any input is read). */
export function checkImageSourceFlags(flags: ImageSourceFlags): void {
  if (flags.passwordStdin && !flags.username)
    throw new UserInputError('--password-stdin', 'give --username too (the password is for that user)');
}

/**
 * The catalog options the flags ask for; with --password-stdin, the password is read from standard input. The
 * detection priority is the flag, else BULKHEAD_DETECTION_PRIORITY, else detectionPriority in `<home>/config.yaml`.
 */
export async function catalogOptionsOf(flags: ImageSourceFlags, home: string): Promise<CatalogOptions> {
  checkImageSourceFlags(flags);
  const { loadDetectionPriority } = await import('../center/config.js');
  const detectionPriority = loadDetectionPriority({ home, flag: flags.detectionPriority });
  let password = process.env.BULKHEAD_REGISTRY_PASSWORD;
  if (flags.passwordStdin) {
    password = (await readStdin()).replace(/\r?\n$/, '');
    if (password === '') throw new UserInputError('--password-stdin', 'no password on standard input');
  }
  return {
    ...(flags.platform ? { platform: flags.platform } : {}),
    ...(flags.insecureRegistry ? { insecureRegistry: true } : {}),
    ...(flags.username ? { username: flags.username } : {}),
    ...(password ? { password } : {}),
    ...(flags.skipDirs?.length ? { skipDirs: flags.skipDirs } : {}),
    ...(flags.skipFiles?.length ? { skipFiles: flags.skipFiles } : {}),
    ...(detectionPriority ? { detectionPriority } : {}),
  };
}
