/** Clusters known only from Azure Resource Graph (DESIGN §12): no kubeconfig, Arc findings only. */
import { findCluster } from '../bot/config.js';
import type { HandlerContext } from './handler.js';

/** Azure-only cluster names from the last fleet refresh; none without `fleet.azure`. */
export async function azureOnlyClusters(ctx: HandlerContext): Promise<string[]> {
  if (!ctx.config.fleet?.azure || !ctx.arcFleet) return [];
  const meta = await ctx.arcFleet.getMeta();
  // A configured name always wins (it has a kubeconfig and a full scan).
  return (meta?.azureOnly ?? []).filter((n) => !findCluster(ctx.config, n));
}

export function azureOnlyNote(name: string): string {
  return `${name} is known only from Azure Resource Graph (no kubeconfig): Arc findings only, refreshed every fleet.azure.refreshInterval`;
}
