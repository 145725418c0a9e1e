/** KUBECONFIG with several files, merged as kubectl merges them (DESIGN §3 "default as kubectl"). */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { loadKubeConfig } from '../../../adapters/kube/kubeconfig-loader.js';

const dir = mkdtempSync(join(tmpdir(), 'dpbot-kmerge-'));
const write = (name: string, yaml: string): string => {
  const path = join(dir, name);
  writeFileSync(path, yaml);
  return path;
};

// a: current-context a-1, cluster c1, user u (token from-a), contexts a-1 and shared.
const a = write(
  'a',
  `apiVersion: v1
kind: Config
current-context: a-1
clusters: [{ name: c1, cluster: { server: 'https://127.0.0.1:1' } }]
users: [{ name: u, user: { token: from-a } }]
contexts:
- { name: a-1, context: { cluster: c1, user: u } }
- { name: shared, context: { cluster: c1, user: u } }
`,
);
// b: its own current-context, a context using a's user, and repeats of a's user and context names.
const b = write(
  'b',
  `apiVersion: v1
kind: Config
current-context: b-1
clusters: [{ name: c2, cluster: { server: 'https://127.0.0.1:2' } }]
users: [{ name: u, user: { token: from-b } }]
contexts:
- { name: b-1, context: { cluster: c2, user: u } }
- { name: shared, context: { cluster: c2, user: u } }
`,
);

describe('loadKubeConfig without a kubeconfig path: the merged KUBECONFIG', () => {
  const saved = process.env.KUBECONFIG;
  beforeAll(() => {
    process.env.KUBECONFIG = [join(dir, 'missing'), a, b].join(delimiter);
  });
  afterAll(() => {
    process.env.KUBECONFIG = saved;
  });

  it('takes the current context from the first file that sets one', () => {
    const kc = loadKubeConfig(undefined, undefined);
    expect(kc.getCurrentContext()).toBe('a-1');
    expect(kc.getCurrentCluster()?.server).toBe('https://127.0.0.1:1');
  });

  it("resolves a context's cluster and user across files, the first definition of each name winning", () => {
    const b1 = loadKubeConfig(undefined, 'b-1');
    expect(b1.getCurrentCluster()?.server).toBe('https://127.0.0.1:2');
    expect(b1.getCurrentUser()?.token).toBe('from-a');
    const shared = loadKubeConfig(undefined, 'shared');
    expect(shared.getCurrentCluster()?.server).toBe('https://127.0.0.1:1');
  });
});
