import type { Clock } from '../../bot/clock.js';
import type { DpbotConfig } from '../../bot/config.js';
import type { Logger } from '../../bot/logger.js';
import type { ActionRequests, AuditLog, ProposalStore, VeleroClient } from '../approvals/ports.js';
import type { DrillCluster, DrillStore } from '../drill/ports.js';
import type { CardPoster } from '../drill/scheduled-drill.js';

/** What the action worker needs; bot/main.ts wires the real ones. */
export interface ActionProcessorDeps {
  config: DpbotConfig;
  proposals: ProposalStore;
  audit: AuditLog;
  velero: VeleroClient;
  requests: ActionRequests;
  clock: Clock;
  logger: Logger;
  /** Following a Velero object: first poll delay, doubled up to `max`. @defaultValue { initial: 2000, max: 15000 } */
  pollMs?: { initial: number; max: number };
  /** Restore drills (DESIGN §10); without them a drill proposal fails preflight. */
  drills?: DrillCluster;
  drillStore?: DrillStore;
  /** Posts the card of a scheduled drill (drills.every). */
  cardPoster?: CardPoster;
}
