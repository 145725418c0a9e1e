/** Runs a command after resolving and authorizing the cluster its spec names (see `ClusterArg`). */
import type { Reply } from '../bot/chat-port.js';
import type { ParsedArgs } from '../bot/command-line.js';
import { UserFacingError } from '../bot/errors.js';
import { requireCluster } from './authorize.js';
import { requireClusterOrAzureOnly } from './azure-only.js';
import type { CommandSpec, HandlerContext } from './handler.js';

export function runCommand(spec: CommandSpec, args: ParsedArgs, ctx: HandlerContext): Promise<Reply> {
  if (!spec.cluster) return spec.run(args, ctx);
  const { arg, role, positionals, countError, azureOnly } = spec.cluster;
  if (args.positionals.length !== positionals) throw new UserFacingError(countError, spec.usage);
  const name = args.positionals[arg];
  const cluster = azureOnly
    ? requireClusterOrAzureOnly(ctx, name, role, spec.usage)
    : requireCluster(ctx, name, role, spec.usage);
  return spec.run(args, ctx, cluster);
}
