/**
 * Loads kubeconfig files once (a fleet kubeconfig can hold thousands of contexts) and hands out one
 * KubeConfig per context that shares the parsed clusters and users.
 */

import type { Cluster, Context, User } from '@kubernetes/client-node';
import { KubeConfig } from '@kubernetes/client-node';
import { loadDefaultKubeConfig } from './kubeconfig-merge.js';

interface Base {
  kc: KubeConfig;
  /** By name, first one wins (as client-node's own `find`). */
  contexts: Map<string, Context>;
  clusters: Map<string, Cluster>;
  users: Map<string, User>;
}

const files = new Map<string, Base>();

function byName<T extends { name: string }>(items: T[]): Map<string, T> {
  const m = new Map<string, T>();
  for (const i of items) if (!m.has(i.name)) m.set(i.name, i);
  return m;
}

function loadBase(kubeconfig: string | undefined): Base {
  const key = kubeconfig ?? `<default>${process.env.KUBECONFIG ?? ''}`;
  let base = files.get(key);
  if (!base) {
    let kc: KubeConfig;
    if (kubeconfig) {
      kc = new KubeConfig();
      kc.loadFromFile(kubeconfig);
    } else kc = loadDefaultKubeConfig();
    base = {
      kc,
      contexts: byName(kc.getContexts()),
      clusters: byName(kc.getClusters()),
      users: byName(kc.getUsers()),
    };
    files.set(key, base);
  }
  return base;
}

/** The KubeConfig for one context (default: the file's current context). Throws if it is missing. */
export function loadKubeConfig(kubeconfig: string | undefined, context: string | undefined): KubeConfig {
  const base = loadBase(kubeconfig);
  const name = context ?? base.kc.getCurrentContext();
  const ctx = base.contexts.get(name);
  if (!ctx) throw new Error(`context "${name}" not found in ${kubeconfig ?? 'the default kubeconfig'}`);
  // Only this context's cluster and user: client-node finds the current cluster and user by a linear
  // search on every request, which over a whole fleet's kubeconfig (10,000 contexts) made a fleet scan
  // quadratic. A missing cluster or user stays missing, as before (getCurrentCluster() is then null).
  const cluster = base.clusters.get(ctx.cluster);
  const user = base.users.get(ctx.user);
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: cluster ? [cluster] : [],
    users: user ? [user] : [],
    contexts: [ctx],
    currentContext: name,
  });
  return kc;
}
