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

  it('reads each context from its own file when the files repeat a user name', () => {
    const [a, b] = [file('a', ['a-1', 'shared']), file('b', ['b-1', 'shared'])];
    process.env.KUBECONFIG = [a, b].join(delimiter);
    expect(listKubeconfigContexts()).toEqual([
      { context: 'a-1', kubeconfig: a },
      { context: 'shared', kubeconfig: a },
      { context: 'b-1', kubeconfig: b },
    ]);
  });

  it('finds nothing when no kubeconfig exists', () => {
    process.env.KUBECONFIG = join(dir, 'missing');
    expect(listKubeconfigContexts()).toEqual([]);
  });
});
