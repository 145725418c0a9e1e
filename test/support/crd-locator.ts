/**
 * Where the real CRDs come from, in this order: `DPBOT_CRDS_DIR`; `../shared/fixtures/crds` beside the
 * repository; the local cache `test/.crds/` that `npm run crds` fills (each file checked against
 * test/crds.lock.json). An explicit `DPBOT_CRDS_DIR` that does not exist means "none" (no fallthrough), so
 * `DPBOT_CRDS_DIR=/nonexistent npm test` shows what a CRD-less run does.
 */
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

// No relative imports here: jest's globalSetup loads this file without the `.js` module mapper.

// --- test/crds.lock.json: pinned upstream files (URL + sha256) and the routing facts per CRD

export interface CrdLockEntry {
  /** Where the file is stored, relative to a CRD directory: `velero/velero.io_backups.yaml`. */
  path: string;
  kind: string;
  group: string;
  plural: string;
  /** The storage version. */
  version: string;
  /** Every served version, storage first or not. */
  served: string[];
  namespaced: boolean;
  statusSubresource: boolean;
  /** The pinned upstream release file (a tag, never a branch). */
  url: string;
  sha256: string;
}

/** The repository root: the nearest folder with a package.json (jest's CJS and tsx's ESM alike). */
export function repoRoot(from = process.cwd()): string {
  let dir = from;
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) return from;
    dir = up;
  }
  return dir;
}

export const lockPath = (root: string) => join(root, 'test', 'crds.lock.json');

export function readCrdLock(root = repoRoot()): CrdLockEntry[] {
  return (JSON.parse(readFileSync(lockPath(root), 'utf8')) as { files: CrdLockEntry[] }).files;
}

export const sha256Hex = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

// --- locating

export type CrdSource = 'DPBOT_CRDS_DIR' | '../shared/fixtures/crds' | 'test/.crds';

export type CrdLocation = { found: true; dir: string; source: CrdSource } | { found: false; reason: string };

export interface LocateCrdsOptions {
  /** @defaultValue process.env */
  env?: NodeJS.ProcessEnv;
  /** @defaultValue the repository root */
  root?: string;
  /** @defaultValue test/crds.lock.json under root */
  lock?: CrdLockEntry[];
}

export const cacheDir = (root: string) => join(root, 'test', '.crds');

const isDir = (p: string) => existsSync(p) && statSync(p).isDirectory();

export function locateCrds(o: LocateCrdsOptions = {}): CrdLocation {
  const env = o.env ?? process.env;
  const root = o.root ?? repoRoot();
  const explicit = env.DPBOT_CRDS_DIR;
  if (explicit) {
    const dir = resolve(root, explicit);
    return isDir(dir)
      ? { found: true, dir, source: 'DPBOT_CRDS_DIR' }
      : { found: false, reason: `DPBOT_CRDS_DIR=${explicit} is not a directory` };
  }
  const shared = resolve(root, '..', 'shared', 'fixtures', 'crds');
  if (isDir(shared)) return { found: true, dir: shared, source: '../shared/fixtures/crds' };
  const cache = cacheDir(root);
  if (!isDir(cache))
    return {
      found: false,
      reason: 'DPBOT_CRDS_DIR is unset, ../shared/fixtures/crds and test/.crds/ do not exist',
    };
  const bad = cacheProblem(cache, o.lock ?? readCrdLock(root));
  return bad
    ? { found: false, reason: `test/.crds/ is not usable: ${bad}` }
    : { found: true, dir: cache, source: 'test/.crds' };
}

/** The first cached file that is missing or differs from the lock, or undefined when all match. */
function cacheProblem(cache: string, lock: CrdLockEntry[]): string | undefined {
  for (const e of lock) {
    const file = join(cache, e.path);
    if (!existsSync(file)) return `${e.path} is missing`;
    if (sha256Hex(readFileSync(file)) !== e.sha256)
      return `${e.path} does not match its sha256 in test/crds.lock.json`;
  }
  return undefined;
}

let current: CrdLocation | undefined;

/** locateCrds() for this process, computed once. */
export function crdLocation(): CrdLocation {
  current ??= locateCrds();
  return current;
}

// --- the one line a run prints at its start and in its summary

export const HOW_TO_GET_CRDS =
  '`npm run crds` (downloads the pinned CRDs into test/.crds/) or DPBOT_CRDS_DIR=<a folder with them>';

export function crdStatusLine(crds: CrdLocation): string {
  return crds.found
    ? `CRDs: custom objects are validated against the real CRDs from ${crds.source} (${crds.dir})`
    : `CRDs: NOT FOUND (${crds.reason}): custom objects are NOT validated and the CRD-validation suites (describeWithCrds) are skipped; to run them: ${HOW_TO_GET_CRDS}`;
}

/** Set by globalSetup: a file each skipped describeWithCrds suite appends its name to. */
const SKIP_LOG = 'DPBOT_CRDS_SKIP_LOG';

export function recordSkippedSuite(name: string, env = process.env): void {
  const log = env[SKIP_LOG];
  if (log) appendFileSync(log, `${name}\n`);
}

export function skippedSuites(env = process.env): string[] {
  const log = env[SKIP_LOG];
  if (!log || !existsSync(log)) return [];
  return [...new Set(readFileSync(log, 'utf8').split('\n').filter(Boolean))].sort();
}

/** Marks that globalSetup printed the CRD line, so the fake does not repeat it in every test file. */
const ANNOUNCED = 'DPBOT_CRDS_ANNOUNCED';

export const crdsAnnounced = (env = process.env) => env[ANNOUNCED] === '1';

/**
 * globalSetup: print the CRD line once and prepare the skip log; with `DPBOT_REQUIRE_CRDS=1` (set by
 * .ci/run) a run without CRDs fails here instead of silently dropping validation.
 */
export function announceCrds(env: NodeJS.ProcessEnv, skipLog: string): CrdLocation {
  const crds = locateCrds({ env });
  process.stdout.write(`\n${crdStatusLine(crds)}\n`);
  if (!crds.found && env.DPBOT_REQUIRE_CRDS === '1')
    throw new Error(
      `DPBOT_REQUIRE_CRDS=1 but the CRDs were not found (${crds.reason}); get them with ${HOW_TO_GET_CRDS}`,
    );
  env[ANNOUNCED] = '1';
  env[SKIP_LOG] = skipLog;
  return crds;
}

/** globalTeardown: the CRD line again, with the suites a CRD-less run skipped. */
export function crdSummary(env = process.env): string {
  const crds = locateCrds({ env });
  const skipped = skippedSuites(env);
  const line = crdStatusLine(crds);
  if (!skipped.length) return line;
  return `${line}\nCRDs: ${skipped.length} suite(s) skipped for lack of CRDs: ${skipped.join('; ')}`;
}
