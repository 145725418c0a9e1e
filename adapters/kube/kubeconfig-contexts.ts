/** Discovers clusters from the current kubeconfig when dpbot runs without a config file (DESIGN §3). */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import type { DiscoveredContext } from '../../bot/config.js';

/** Every context of the current kubeconfig (`KUBECONFIG` or `~/.kube/config`), for config without a file. */
export function listKubeconfigContexts(): DiscoveredContext[] {
  const env = process.env.KUBECONFIG;
  const paths = env ? env.split(delimiter).filter(Boolean) : [join(homedir(), '.kube', 'config')];
  const existing = paths.filter((p) => existsSync(p));
  if (existing.length === 0) {
    // In a pod, client-node's default loading uses the service account under this context name.
    return process.env.KUBERNETES_SERVICE_HOST ? [{ context: 'inClusterContext' }] : [];
  }
  if (existing.length === 1)
    return contextsOf(existing[0]).map((context) => ({ context, kubeconfig: existing[0] }));
  const merged = new KubeConfig();
  try {
    merged.loadFromDefault();
    return merged.getContexts().map((c) => ({ context: c.name }));
  } catch {
    // client-node refuses to merge files that repeat a user or cluster name (kubectl takes the
    // first); then each context is read from the first file that defines it.
    const seen = new Set<string>();
    return existing.flatMap((file) =>
      contextsOf(file)
        .filter((c) => !seen.has(c) && seen.add(c))
        .map((context) => ({ context, kubeconfig: file })),
    );
  }
}

function contextsOf(file: string): string[] {
  const kc = new KubeConfig();
  kc.loadFromFile(file);
  return kc.getContexts().map((c) => c.name);
}
