/** Discovers clusters from the current kubeconfig when dpbot runs without a config file (DESIGN §3). */
import { KubeConfig } from '@kubernetes/client-node';
import type { DiscoveredContext } from '../../bot/config.js';
import { kubeconfigFiles, loadMergedKubeConfig } from './kubeconfig-merge.js';

/** Every context of the current kubeconfig (`KUBECONFIG` or `~/.kube/config`), for config without a file. */
export function listKubeconfigContexts(): DiscoveredContext[] {
  const files = kubeconfigFiles();
  if (files.length === 0) {
    // In a pod, client-node's default loading uses the service account under this context name.
    return process.env.KUBERNETES_SERVICE_HOST ? [{ context: 'inClusterContext' }] : [];
  }
  if (files.length === 1) {
    const kc = new KubeConfig();
    kc.loadFromFile(files[0]);
    return kc.getContexts().map((c) => ({ context: c.name, kubeconfig: files[0] }));
  }
  // Several files: a context may use a cluster or user of another file, so each one is loaded from
  // the merged view (no `kubeconfig`: the loader merges the same files again).
  return loadMergedKubeConfig(files)
    .getContexts()
    .map((c) => ({ context: c.name }));
}
