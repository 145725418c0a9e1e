/**
 * The kubeconfig as kubectl reads it (DESIGN §3: "default as kubectl"): every file of `KUBECONFIG`
 * (or `~/.kube/config`), files that do not exist skipped, the first file to name a cluster, user or
 * context wins, and `current-context` comes from the first file that sets one. client-node's own
 * `loadFromDefault` instead throws on a missing file or a repeated name and takes the last file's
 * current context.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';

/** The kubeconfig files in kubectl's order that exist. */
export function kubeconfigFiles(env: NodeJS.ProcessEnv = process.env): string[] {
  const paths = env.KUBECONFIG
    ? env.KUBECONFIG.split(delimiter).filter(Boolean)
    : [join(homedir(), '.kube', 'config')];
  return paths.filter((p) => existsSync(p));
}

function firstByName<T extends { name: string }>(lists: T[][]): T[] {
  const seen = new Map<string, T>();
  for (const list of lists) for (const item of list) if (!seen.has(item.name)) seen.set(item.name, item);
  return [...seen.values()];
}

/** `files` merged as kubectl merges them; each file's relative paths resolved against its own folder. */
export function loadMergedKubeConfig(files: string[]): KubeConfig {
  const parts = files.map((file) => {
    const kc = new KubeConfig();
    kc.loadFromFile(file);
    return kc;
  });
  const merged = new KubeConfig();
  merged.loadFromOptions({
    clusters: firstByName(parts.map((kc) => kc.getClusters())),
    users: firstByName(parts.map((kc) => kc.getUsers())),
    contexts: firstByName(parts.map((kc) => kc.getContexts())),
    currentContext: parts.map((kc) => kc.getCurrentContext()).find(Boolean) ?? '',
  });
  return merged;
}

/** The current kubeconfig, as kubectl would use it; without any file, client-node's defaults (in-cluster). */
export function loadDefaultKubeConfig(env: NodeJS.ProcessEnv = process.env): KubeConfig {
  const files = kubeconfigFiles(env);
  if (files.length > 0) return loadMergedKubeConfig(files);
  const kc = new KubeConfig();
  if (env.KUBERNETES_SERVICE_HOST) kc.loadFromCluster();
  else kc.loadFromDefault();
  return kc;
}
