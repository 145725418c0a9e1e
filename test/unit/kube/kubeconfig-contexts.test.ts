import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { listKubeconfigContexts } from '../../../adapters/kube/kubeconfig-contexts.js';

const dir = mkdtempSync(join(tmpdir(), 'dpbot-kcfg-'));
const file = (name: string, contexts: string[]): string => {
  const path = join(dir, name);
  const yaml = [
    'apiVersion: v1',
    'kind: Config',
    `current-context: ${contexts[0]}`,
    'clusters:',
    ...contexts.map((c) => `- name: ${c}\n  cluster: { server: 'https://127.0.0.1:1/clusters/${c}' }`),
    'users: [{ name: u, user: { token: t } }]',
    'contexts:',
    ...contexts.map((c) => `- name: ${c}\n  context: { cluster: ${c}, user: u }`),
  ].join('\n');
  writeFileSync(path, yaml);
  return path;
};

describe('listKubeconfigContexts', () => {
  const saved = process.env.KUBECONFIG;
  afterEach(() => {
    process.env.KUBECONFIG = saved;
  });

  it('lists every context of KUBECONFIG with its file', () => {
    const path = file('one', ['store-001', 'store-002']);
    process.env.KUBECONFIG = path;
    expect(listKubeconfigContexts()).toEqual([
      { context: 'store-001', kubeconfig: path },
      { context: 'store-002', kubeconfig: path },
    ]);
  });

  it('merges several files as kubectl does: repeated names once (the first wins), missing files skipped', () => {
    const [a, b] = [file('a', ['a-1', 'shared']), file('b', ['b-1', 'shared'])];
    process.env.KUBECONFIG = [a, join(dir, 'missing'), b].join(delimiter);
    // No file per context: a context may use another file's cluster or user (see kubeconfig-merge.test.ts).
    expect(listKubeconfigContexts()).toEqual([{ context: 'a-1' }, { context: 'shared' }, { context: 'b-1' }]);
  });

  it('finds nothing when no kubeconfig exists', () => {
    process.env.KUBECONFIG = join(dir, 'missing');
    expect(listKubeconfigContexts()).toEqual([]);
  });
});
