/** Clusters known only from Azure Resource Graph (DESIGN §12): no kubeconfig, Arc findings only. */
import type { Role } from '../bot/access.js';
import type { ClusterConfig } from '../bot/config.js';
import { findCluster } from '../bot/config.js';
import { requireCluster } from './authorize.js';
import type { HandlerContext } from './handler.js';

/** The Azure-only cluster `name`, if it is one (a configured name always wins). */
export function azureOnlyCluster(ctx: HandlerContext, name: string | undefined): ClusterConfig | undefined {
  if (!name || findCluster(ctx.config, name)) return undefined;
  return ctx.azureOnly?.cluster(name);
}

/**
 * requireCluster that also accepts an Azure-only cluster: for the commands that make sense without a
 * kubeconfig (alerts, snooze, subscribe); never for backup/restore, which need the cluster's API.
 */
export function requireClusterOrAzureOnly(
  ctx: HandlerContext,
  name: string | undefined,
  role: Role,
  usage: string,
): ClusterConfig {
  const only = azureOnlyCluster(ctx, name);
  if (!only) return requireCluster(ctx, name, role, usage);
  // Same checks as requireCluster, on the Azure-only cluster's access.
  return requireCluster(
    { ...ctx, config: { ...ctx.config, clusters: [...ctx.config.clusters, only] } },
    name,
    role,
    usage,
  );
}

export function azureOnlyNote(name: string): string {
  return `${name} is known only from Azure Resource Graph (no kubeconfig): Arc findings only, refreshed every fleet.azure.refreshInterval`;
}
