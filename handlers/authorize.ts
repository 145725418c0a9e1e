import { hasRole, type Role } from '../bot/access.js';
import { type ClusterConfig, findCluster } from '../bot/config.js';
import { AccessDeniedError, UserFacingError } from '../bot/errors.js';
import { requireLabel } from '../bot/validate.js';
import type { HandlerContext } from './handler.js';

/** Validates the name, finds the cluster and checks the caller's role on it. */
export function requireCluster(
  ctx: HandlerContext,
  name: string | undefined,
  role: Role,
  usage: string,
): ClusterConfig {
  if (!name) throw new UserFacingError('Which cluster? Name one.', usage);
  requireLabel(name, 'cluster name', usage);
  const cluster = findCluster(ctx.config, name);
  const visible = ctx.config.clusters.filter((c) => hasRole(c, ctx.request.user, 'viewer'));
  if (!cluster && ctx.azureOnly?.cluster(name))
    throw new UserFacingError(
      `${name} is known only from Azure (an Arc cluster with no kubeconfig in dpbot's config), so this command cannot act on it; /dp status ${name} shows its Arc findings.`,
      usage,
    );
  if (!cluster || !visible.includes(cluster)) {
    const known = visible.map((c) => c.name);
    const list =
      known.length > 10 ? `${known.slice(0, 10).join(', ')} … (${known.length})` : known.join(', ');
    throw new UserFacingError(`Unknown cluster "${name}". Known clusters: ${list || 'none'}.`, usage);
  }
  if (!hasRole(cluster, ctx.request.user, role))
    throw new AccessDeniedError(
      `${ctx.request.user.id} is not a${role === 'operator' ? 'n' : ''} ${role} of ${cluster.name}.`,
    );
  return cluster;
}

export function visibleClusters(ctx: HandlerContext): ClusterConfig[] {
  return ctx.config.clusters.filter((c) => hasRole(c, ctx.request.user, 'viewer'));
}
