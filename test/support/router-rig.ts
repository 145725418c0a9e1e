/** The production router wiring (bot/wire-chat.ts, bot/wire-stores.ts) for tests, with named parts replaced. */

import { VegaChartRenderer } from '../../adapters/charts/vega-renderer.js';
import { Keys } from '../../adapters/store/keys.js';
import type { RedisClient } from '../../adapters/store/redis-client.js';
import type { Clock } from '../../bot/clock.js';
import type { DpbotConfig } from '../../bot/config.js';
import { createLogger, type Logger } from '../../bot/logger.js';
import type { Router } from '../../bot/router.js';
import { handlerDeps, wireRouter } from '../../bot/wire-chat.js';
import { type Stores, wireStores } from '../../bot/wire-stores.js';
import type { HandlerContext } from '../../handlers/handler.js';
import { QueueActionRequests } from '../../jobs/approvals/action-requests.js';
import { createQueues, type Queues } from '../../jobs/queues.js';
import { QueueScanRequests } from '../../jobs/scan-requests.js';

export interface RouterRig {
  router: Router;
  stores: Stores;
  /** The queues scans and actions go to, unless the harness replaced both. */
  queues?: Queues;
  close(): Promise<void>;
}

export function startRouterRig(o: {
  redis: RedisClient;
  prefix: string;
  config: DpbotConfig;
  clock: Clock;
  logger?: Logger;
  /** Parts the harness provides itself (a recording scan queue, its own action queue, …). */
  replace?: Partial<Omit<HandlerContext, 'request'>>;
}): RouterRig {
  const logger = o.logger ?? createLogger('silent');
  const stores = wireStores(o.redis, new Keys(o.prefix), logger);
  const { scans, actions } = o.replace ?? {};
  const queues = scans && actions ? undefined : createQueues({ connection: o.redis, prefix: o.prefix });
  const deps = handlerDeps({
    config: o.config,
    stores,
    scans: scans ?? new QueueScanRequests((queues as Queues).scan, stores.waiters),
    actions: actions ?? new QueueActionRequests((queues as Queues).action, (queues as Queues).notify),
    charts: new VegaChartRenderer(),
    clock: o.clock,
    logger,
  });
  return {
    router: wireRouter({ ...deps, ...o.replace }),
    stores,
    queues,
    close: async () => {
      if (queues) await Promise.all(Object.values(queues).map((q) => q.close()));
    },
  };
}
