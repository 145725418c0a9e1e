/**
 * test/crds.lock.json against the real CRDs in ../shared/fixtures/crds: same files, same sha256, URLs at the
 * repository and tag their SOURCE.md names, and the routing facts the CRD-less fake uses.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { readCrdDefinitions } from '../../fakes/kube-api/crd-catalog.js';
import { readCrdLock, repoRoot, sha256Hex } from '../../support/crd-locator.js';

const SHARED = resolve(repoRoot(), '..', 'shared', 'fixtures', 'crds');
const lock = readCrdLock();
const describeWithShared = existsSync(SHARED) ? describe : describe.skip;
const yamlFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? yamlFiles(join(dir, e.name)).map((f) => `${e.name}/${f}`)
      : /\.ya?ml$/.test(e.name)
        ? [e.name]
        : [],
  );

describe('test/crds.lock.json', () => {
  it('pins every file to a release tag on raw.githubusercontent.com, with a sha256', () => {
    for (const e of lock) {
      expect(e.url).toMatch(
        /^https:\/\/raw\.githubusercontent\.com\/[^/]+\/[^/]+\/v\d+\.\d+\.\d+\/.+\.yaml$/,
      );
      expect(e.url.endsWith(`/${e.path.split('/').pop()}`)).toBe(true);
      expect(e.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(e.served).toContain(e.version);
    }
  });
});

describeWithShared(
  `test/crds.lock.json matches ../shared/fixtures/crds${existsSync(SHARED) ? '' : ' [skipped: ../shared is not beside the repository]'}`,
  () => {
    it('lists exactly the CRD files there', () => {
      expect(lock.map((e) => e.path).sort()).toEqual(yamlFiles(SHARED).sort());
    });

    it.each(lock.map((e) => [e.path, e] as const))('%s has the sha256 of the file', (path, e) => {
      expect(sha256Hex(readFileSync(join(SHARED, path)))).toBe(e.sha256);
    });

    it.each(lock.map((e) => [e.path, e] as const))(
      '%s: URL at the repository and tag of SOURCE.md',
      (path, e) => {
        const source = readFileSync(join(SHARED, dirname(path), 'SOURCE.md'), 'utf8');
        const [, owner, repo, tag, ...rest] = new URL(e.url).pathname.split('/');
        expect(source).toContain(`https://github.com/${owner}/${repo}`);
        expect(source).toMatch(new RegExp(`[\`*]${tag.replace(/\./g, '\\.')}[\`*]`));
        expect(source).toContain(`${rest.slice(0, -1).join('/')}/`); // the upstream folder
      },
    );

    it('routes like the real CRDs when the fake has none (scope, served versions, status subresource)', () => {
      const real = readCrdDefinitions(SHARED).map((d) => ({
        kind: d.kind,
        group: d.group,
        plural: d.plural,
        listKind: d.listKind,
        served: d.versions.map((v) => v.name).sort(),
        namespaced: d.namespaced,
        statusSubresource: d.hasStatusSubresource,
      }));
      const locked = lock.map((e) => ({
        kind: e.kind,
        group: e.group,
        plural: e.plural,
        listKind: `${e.kind}List`,
        served: [...e.served].sort(),
        namespaced: e.namespaced,
        statusSubresource: e.statusSubresource,
      }));
      expect(locked).toEqual(expect.arrayContaining(real));
      expect(locked).toHaveLength(real.length);
    });
  },
);
