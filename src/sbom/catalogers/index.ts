import type { Cataloger } from '../types.js';
import { apk } from './apk.js';
import { bunLock } from './bun-lock.js';
import { cargo } from './cargo.js';
import { cocoapods } from './cocoapods.js';
import { composer } from './composer.js';
import { conan } from './conan.js';
import { conda } from './conda.js';
import { dotnet } from './dotnet.js';
import { dpkg } from './dpkg.js';
import { goBinary } from './go-binary.js';
import { gomod } from './gomod.js';
import { haskell } from './haskell.js';
import { java } from './java.js';
import { julia } from './julia.js';
import { mavenManifest } from './maven-manifest.js';
import { mixLock } from './mix-lock.js';
import { npmInstalled } from './npm-installed.js';
import { npmLock } from './npm-lock.js';
import { pnpmLock } from './pnpm-lock.js';
import { pub } from './pub.js';
import { pythonInstalled } from './python-installed.js';
import { pythonLock } from './python-lock.js';
import { rpm } from './rpm.js';
import { ruby } from './ruby.js';
import { sbtLock } from './sbt-lock.js';
import { swift } from './swift.js';
import { yarnLock } from './yarn-lock.js';

/** Every cataloger. Adding one = one file + one line. */
export const CATALOGERS: readonly Cataloger[] = [
  apk,
  bunLock,
  cargo,
  cocoapods,
  composer,
  conan,
  conda,
  dotnet,
  dpkg,
  goBinary,
  gomod,
  haskell,
  java,
  julia,
  mavenManifest,
  mixLock,
  npmInstalled,
  npmLock,
  pnpmLock,
  pub,
  pythonInstalled,
  pythonLock,
  rpm,
  ruby,
  sbtLock,
  swift,
  yarnLock,
];
