/** Roles per cluster (DESIGN §3): identities are immutable ids, `*` matches everyone. */
import type { Identity } from './chat-port.js';
import type { AccessConfig, ClusterConfig } from './config.js';

export type Role = 'viewer' | 'operator' | 'approver';

function matches(list: string[], who: Identity): boolean {
  return list.some((entry) => entry === '*' || entry === who.id || who.groups.includes(entry));
}

/** Group ids (`slack-group:…`) named anywhere in access lists, so adapters resolve only those. */
export function groupsOfInterest(clusters: ClusterConfig[]): string[] {
  const out = new Set<string>();
  for (const c of clusters)
    for (const list of Object.values(c.access) as string[][])
      for (const e of list) if (e.startsWith('slack-group:')) out.add(e);
  return [...out];
}

export function rolesFor(access: AccessConfig, who: Identity): Role[] {
  const roles: Role[] = [];
  const operator = matches(access.operators, who);
  const approver = matches(access.approvers, who);
  // Anyone trusted to act on a cluster may also look at it.
  if (matches(access.viewers, who) || operator || approver) roles.push('viewer');
  if (operator) roles.push('operator');
  if (approver) roles.push('approver');
  return roles;
}

export function hasRole(cluster: ClusterConfig, who: Identity, role: Role): boolean {
  return rolesFor(cluster.access, who).includes(role);
}
