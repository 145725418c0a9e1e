/** What every command handler gets and returns. Handlers validate, authorize, enqueue, reply — no cluster I/O. */
import type { Role } from '../bot/access.js';
import type { CommandRequest, MessageRef, Reply } from '../bot/chat-port.js';
import type { Clock } from '../bot/clock.js';
import type { ParsedArgs } from '../bot/command-line.js';
import type { ClusterConfig, DpbotConfig } from '../bot/config.js';
import type { Logger } from '../bot/logger.js';
import type { AlertStore, SubscriptionStore } from '../jobs/alerts/alert-state.js';
import type { ActionRequests, AuditLog, ProposalStore } from '../jobs/approvals/ports.js';
import type { ChartRenderer } from '../jobs/charts/chart-port.js';
import type { DigestStore } from '../jobs/digest/digest-summary.js';
import type { DrillStore } from '../jobs/drill/ports.js';
import type { ArcFleetStore } from '../jobs/fleet/arc-inventory.js';
import type { AzureOnlyClusters } from '../jobs/fleet/azure-only-directory.js';
import type { PostureStore } from '../jobs/posture.js';
import type { WaiterView } from '../jobs/update-waiters.js';

export interface ScanRequests {
  /** Enqueues a scan of each cluster; with `update`, that message is re-rendered once all are scanned. */
  request(
    clusters: string[],
    opts?: { update?: { ref: MessageRef; view: WaiterView }; deliveryId?: string },
  ): Promise<void>;
}

export interface HandlerContext {
  config: DpbotConfig;
  postures: PostureStore;
  scans: ScanRequests;
  clock: Clock;
  logger: Logger;
  request: CommandRequest;
  /** Alert state (DESIGN §8): `/dp alerts`, snoozes. */
  alerts: AlertStore;
  /** `/dp subscribe` routes. */
  subscriptions: SubscriptionStore;
  /** Approvals (backup/restore/drill/approve/reject/approvals/audit, DESIGN §7). */
  proposals: ProposalStore;
  audit: AuditLog;
  actions: ActionRequests;
  /** Pictures (DESIGN §11): `/dp chart`, `/dp digest`. */
  charts: ChartRenderer;
  /** The last digest's summary, for "what changed". */
  digests: DigestStore;
  /** The Arc fleet from Azure (DESIGN §12): Azure-only clusters, unreadable subscriptions. */
  arcFleet: Pick<ArcFleetStore, 'getMeta'>;
  /** Restore drill records (`/dp drills`, DESIGN §10). */
  drills: DrillStore;
  /** Clusters known only from Azure (no kubeconfig): status, alerts, snooze and subscribe accept them; absent without `fleet.azure`. */
  azureOnly?: AzureOnlyClusters;
}

/**
 * The cluster a command acts on: the router resolves and authorizes it before the handler runs
 * (handlers/run-command.ts), so a handler never sees a cluster its caller may not act on.
 */
export interface ClusterArg {
  /** The positional that names the cluster. */
  arg: number;
  /** The role the caller needs on that cluster. */
  role: Role;
  /** The command takes exactly this many positionals; otherwise it answers `countError`. */
  positionals: number;
  countError: string;
  /** Also a cluster known only from Azure (DESIGN §12): alerts and snoozes, never what needs its API. */
  azureOnly?: boolean;
}

interface CommandBase {
  name: string;
  /** e.g. `/dp status <cluster>|all [--refresh]` */
  usage: string;
  summary: string;
  /** Least role needed somewhere (shown by help); `cluster.role` is checked on the named cluster. */
  role: Role | 'anyone';
  /** Flags that take no value. */
  booleanFlags?: string[];
  /** Flags the command accepts; anything else is refused with the usage. */
  flags?: string[];
}

/** A command that resolves its own clusters (none, `all`, or Azure-only specifics). */
export interface PlainCommandSpec extends CommandBase {
  cluster?: undefined;
  run(args: ParsedArgs, ctx: HandlerContext): Promise<Reply>;
}

/** A command on one cluster, resolved and authorized before `run`. */
export interface ClusterCommandSpec extends CommandBase {
  cluster: ClusterArg;
  run(args: ParsedArgs, ctx: HandlerContext, cluster: ClusterConfig): Promise<Reply>;
}

export type CommandSpec = PlainCommandSpec | ClusterCommandSpec;
