/** Runs a command after resolving and authorizing the cluster its spec names (see `ClusterArg`). */
import type { Reply } from '../bot/chat-port.js';
import type { ParsedArgs } from '../bot/command-line.js';
import { UserFacingError } from '../bot/errors.js';
import { requireCluster } from './authorize.js';
import { requireClusterOrAzureOnly } from './azure-only.js';
import type { CommandSpec, HandlerContext } from './handler.js';

/** `countError`, naming the words beyond `expected` (often a --reason of several words without quotes). */
export function countErrorText(
  countError: string,
  spec: Pick<CommandSpec, 'flags'>,
  positionals: string[],
  expected: number,
): string {
  const extra = positionals.slice(expected);
  if (!extra.length) return countError;
  const words = extra.map((w) => `"${w.slice(0, 40)}"`).join(' ');
  const hint = spec.flags?.includes('reason') ? ' (a --reason of several words goes in quotes)' : '';
  return `${countError} Not expected: ${words.length > 120 ? `${words.slice(0, 120)}…` : words}${hint}.`;
}

export function runCommand(spec: CommandSpec, args: ParsedArgs, ctx: HandlerContext): Promise<Reply> {
  if (!spec.cluster) return spec.run(args, ctx);
  const { arg, role, positionals, countError, azureOnly } = spec.cluster;
  if (args.positionals.length !== positionals)
    throw new UserFacingError(countErrorText(countError, spec, args.positionals, positionals), spec.usage);
  const name = args.positionals[arg];
  const cluster = azureOnly
    ? requireClusterOrAzureOnly(ctx, name, role, spec.usage)
    : requireCluster(ctx, name, role, spec.usage);
  return spec.run(args, ctx, cluster);
}
