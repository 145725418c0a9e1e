/**
 * Where the CRDs come from (DPBOT_CRDS_DIR, ../shared, the test/.crds cache, none) and `npm run crds`
 * against a loopback HTTP server playing the upstream release host.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CrdDownloadError, downloadCrds } from '../../support/crd-download.js';
import {
  announceCrds,
  type CrdLockEntry,
  crdSummary,
  locateCrds,
  recordSkippedSuite,
  sha256Hex,
} from '../../support/crd-locator.js';

const run = promisify(execFile);
const TSX = join(__dirname, '../../../node_modules/.bin/tsx');
const CLI = join(__dirname, '../../support/crds-cli.ts');

const FILES: Record<string, string> = {
  '/owner/velero/v1.18.1/config/crd/v1/bases/velero.io_backups.yaml': 'kind: CustomResourceDefinition # a\n',
  '/owner/sync/v0.0.4/config/crd/bases/secret-sync.x-k8s.io_secretsyncs.yaml':
    'kind: CustomResourceDefinition # b\n',
};
const entry = (urlPath: string, path: string): CrdLockEntry => ({
  path,
  kind: 'Backup',
  group: 'velero.io',
  plural: 'backups',
  version: 'v1',
  served: ['v1'],
  namespaced: true,
  statusSubresource: false,
  url: `https://raw.githubusercontent.com${urlPath}`,
  sha256: sha256Hex(FILES[urlPath]),
});
const LOCK = [
  entry(Object.keys(FILES)[0], 'velero/velero.io_backups.yaml'),
  entry(Object.keys(FILES)[1], 'secrets-store-sync-controller/secret-sync.x-k8s.io_secretsyncs.yaml'),
];

/** `<parent>/dpbot` with package.json and the lock; shared/ beside it only when asked. */
function newRepo(o: { shared?: boolean } = {}): string {
  const parent = mkdtempSync(join(tmpdir(), 'dpbot-crds-'));
  const root = join(parent, 'dpbot');
  mkdirSync(join(root, 'test'), { recursive: true });
  writeFileSync(join(root, 'package.json'), '{"type":"module"}\n');
  writeFileSync(join(root, 'test', 'crds.lock.json'), JSON.stringify({ files: LOCK }));
  if (o.shared) mkdirSync(join(parent, 'shared', 'fixtures', 'crds'), { recursive: true });
  return root;
}

let upstream: Server;
let base: string;
let tamper = false;
const served: string[] = [];

beforeAll(async () => {
  upstream = createServer((req, res) => {
    const body = FILES[req.url ?? ''];
    served.push(req.url ?? '');
    res.writeHead(body ? 200 : 404).end(body && tamper ? `${body}# changed\n` : body);
  });
  await new Promise<void>((ok) => upstream.listen(0, '127.0.0.1', ok));
  base = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((ok) => upstream.close(ok)));
beforeEach(() => {
  tamper = false;
});

/** A loopback port nobody listens on: the "offline" upstream. */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((ok) => s.listen(0, '127.0.0.1', ok));
  const port = (s.address() as AddressInfo).port;
  await new Promise((ok) => s.close(ok));
  return port;
}

const download = (root: string, lock = LOCK, up = base) =>
  downloadCrds({ root, lock, upstream: up, log: () => {}, timeoutMs: 5000 });

describe('locateCrds', () => {
  it('takes DPBOT_CRDS_DIR first, even with ../shared beside the repository', () => {
    const root = newRepo({ shared: true });
    const dir = mkdtempSync(join(tmpdir(), 'dpbot-crds-env-'));
    expect(locateCrds({ root, env: { DPBOT_CRDS_DIR: dir } })).toEqual({
      found: true,
      dir,
      source: 'DPBOT_CRDS_DIR',
    });
  });

  it('an explicit DPBOT_CRDS_DIR that does not exist means none, not a fallthrough', () => {
    const root = newRepo({ shared: true });
    expect(locateCrds({ root, env: { DPBOT_CRDS_DIR: '/nonexistent' } })).toEqual({
      found: false,
      reason: 'DPBOT_CRDS_DIR=/nonexistent is not a directory',
    });
  });

  it('takes ../shared/fixtures/crds next, before the cache', async () => {
    const root = newRepo({ shared: true });
    await download(root);
    expect(locateCrds({ root, env: {} })).toEqual({
      found: true,
      dir: join(root, '..', 'shared', 'fixtures', 'crds'),
      source: '../shared/fixtures/crds',
    });
  });

  it('takes test/.crds/ filled by the download, every file matching the lock', async () => {
    const root = newRepo();
    served.length = 0;
    await expect(download(root)).resolves.toBe(join(root, 'test', '.crds'));
    expect(served).toEqual(Object.keys(FILES)); // the lock's paths, on the overridden origin
    expect(readFileSync(join(root, 'test', '.crds', LOCK[0].path), 'utf8')).toBe(Object.values(FILES)[0]);
    expect(locateCrds({ root, env: {} })).toEqual({
      found: true,
      dir: join(root, 'test', '.crds'),
      source: 'test/.crds',
    });
  });

  it('refuses a cache whose file was changed or removed since the download', async () => {
    const root = newRepo();
    await download(root);
    writeFileSync(join(root, 'test', '.crds', LOCK[1].path), 'edited\n');
    expect(locateCrds({ root, env: {} })).toEqual({
      found: false,
      reason: `test/.crds/ is not usable: ${LOCK[1].path} does not match its sha256 in test/crds.lock.json`,
    });
  });

  it('finds none on a clone with nothing beside it, and says where it looked', () => {
    expect(locateCrds({ root: newRepo(), env: {} })).toEqual({
      found: false,
      reason: 'DPBOT_CRDS_DIR is unset, ../shared/fixtures/crds and test/.crds/ do not exist',
    });
  });
});

describe('downloadCrds (npm run crds)', () => {
  it('refuses a file whose sha256 differs from the lock and writes nothing', async () => {
    const root = newRepo();
    tamper = true;
    const err = await download(root).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CrdDownloadError);
    expect((err as Error).message).toMatch(
      new RegExp(`velero.io_backups.yaml: sha256 [0-9a-f]{64} does not match ${LOCK[0].sha256}`),
    );
    expect(existsSync(join(root, 'test', '.crds'))).toBe(false);
  });

  it('keeps the previous cache when a later download fails', async () => {
    const root = newRepo();
    await download(root);
    await expect(
      download(root, [...LOCK, { ...LOCK[0], url: 'https://x.test/missing.yaml' }]),
    ).rejects.toThrow(/missing.yaml: HTTP 404; nothing was written/);
    expect(locateCrds({ root, env: {} })).toMatchObject({ found: true, source: 'test/.crds' });
  });

  it('offline: one line saying which URL could not be fetched and why', async () => {
    const port = await closedPort();
    const err = (await download(newRepo(), LOCK, `http://127.0.0.1:${port}`).catch(
      (e: unknown) => e,
    )) as Error;
    expect(err).toBeInstanceOf(CrdDownloadError);
    expect(err.message).toMatch(/^cannot download http:\/\/127\.0\.0\.1:\d+\/owner\/velero\/.*ECONNREFUSED/);
    expect(err.message).not.toContain('\n');
  });

  it('`npm run crds` says what it downloads, fills the cache, and fails offline with one line', async () => {
    const root = newRepo();
    const env = { ...process.env, DPBOT_CRDS_UPSTREAM: base };
    const ok = await run(TSX, [CLI], { cwd: root, env });
    expect(ok.stdout).toMatch(
      /^crds: downloading 2 CRD files from http:\/\/127\.0\.0\.1:\d+ into test\/\.crds\//,
    );
    expect(ok.stdout).toContain(`crds: ${LOCK[0].path} sha256 ok`);
    expect(locateCrds({ root, env: {} })).toMatchObject({ found: true, source: 'test/.crds' });

    const offline = await run(TSX, [CLI], {
      cwd: root,
      env: { ...env, DPBOT_CRDS_UPSTREAM: `http://127.0.0.1:${await closedPort()}` },
    }).catch((e: { code: number; stderr: string }) => e);
    expect(offline).toMatchObject({ code: 1 });
    expect((offline as { stderr: string }).stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^crds: cannot download http:\/\/127\.0\.0\.1:\d+\/.*ECONNREFUSED/),
    ]);
  }, 60_000);
});

describe('the run says whether it validated (globalSetup / globalTeardown)', () => {
  it('DPBOT_REQUIRE_CRDS=1 (CI) stops the run when the CRDs are missing', () => {
    const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      const env = { DPBOT_CRDS_DIR: '/nonexistent', DPBOT_REQUIRE_CRDS: '1' };
      expect(() => announceCrds(env, '/dev/null')).toThrow(
        /^DPBOT_REQUIRE_CRDS=1 but the CRDs were not found \(DPBOT_CRDS_DIR=\/nonexistent is not a directory\); get them with `npm run crds`/,
      );
      const found = { DPBOT_CRDS_DIR: tmpdir(), DPBOT_REQUIRE_CRDS: '1' };
      expect(announceCrds(found, '/dev/null')).toMatchObject({ found: true });
      expect(write).toHaveBeenCalledWith(
        expect.stringContaining(
          `CRDs: custom objects are validated against the real CRDs from DPBOT_CRDS_DIR (${tmpdir()})`,
        ),
      );
    } finally {
      write.mockRestore();
    }
  });

  it('the summary names the suites a CRD-less run skipped and how to get the CRDs', () => {
    const log = join(mkdtempSync(join(tmpdir(), 'dpbot-crds-log-')), 'skipped.txt');
    const env = { DPBOT_CRDS_DIR: '/nonexistent', DPBOT_CRDS_SKIP_LOG: log };
    recordSkippedSuite('fake kube-api validation', env);
    recordSkippedSuite('KubeClient CRD validation', env);
    recordSkippedSuite('fake kube-api validation', env); // one per test file that registered it
    expect(crdSummary(env).split('\n')).toEqual([
      expect.stringMatching(
        /^CRDs: NOT FOUND \(DPBOT_CRDS_DIR=\/nonexistent is not a directory\): .*to run them: `npm run crds`/,
      ),
      'CRDs: 2 suite(s) skipped for lack of CRDs: KubeClient CRD validation; fake kube-api validation',
    ]);
  });
});
