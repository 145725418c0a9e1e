/**
 * CRDs the fake serves beyond ../shared/fixtures/crds: third-party APIs dpbot only reads (Istio
 * PeerAuthentication, Calico FelixConfiguration), kept as test fixtures inside the repo with their
 * source and licence (test/fixtures/crds-extra/<project>/SOURCE.md).
 */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** YAML files under `<repo>/test/fixtures/crds-extra`, found by walking up from cwd to package.json. */
export function extraCrdFiles(): string[] {
  let dir = process.cwd();
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) return [];
    dir = up;
  }
  const root = join(dir, 'test/fixtures/crds-extra');
  if (!existsSync(root)) return [];
  return readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => join(root, f));
}
