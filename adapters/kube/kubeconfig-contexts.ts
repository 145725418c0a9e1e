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
  const kc = new KubeConfig();
  kc.loadFromDefault();
  // A single file can be named per cluster; merged files are loaded the default way again.
  const kubeconfig = existing.length === 1 ? existing[0] : undefined;
  return kc.getContexts().map((c) => ({ context: c.name, ...(kubeconfig ? { kubeconfig } : {}) }));
}
