/**
 * Loads kubeconfig files once (a fleet kubeconfig can hold thousands of contexts) and hands out one
 * KubeConfig per context that shares the parsed clusters and users.
 */
import { KubeConfig } from '@kubernetes/client-node';

const files = new Map<string, KubeConfig>();

function loadBase(kubeconfig: string | undefined): KubeConfig {
  const key = kubeconfig ?? '<default>';
  let kc = files.get(key);
  if (!kc) {
    kc = new KubeConfig();
    if (kubeconfig) kc.loadFromFile(kubeconfig);
    else kc.loadFromDefault();
    files.set(key, kc);
  }
  return kc;
}

/** The KubeConfig for one context (default: the file's current context). Throws if it is missing. */
export function loadKubeConfig(kubeconfig: string | undefined, context: string | undefined): KubeConfig {
  const base = loadBase(kubeconfig);
  const name = context ?? base.getCurrentContext();
  if (!base.getContextObject(name))
    throw new Error(`context "${name}" not found in ${kubeconfig ?? 'the default kubeconfig'}`);
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: base.getClusters(),
    users: base.getUsers(),
    contexts: base.getContexts(),
    currentContext: name,
  });
  return kc;
}
