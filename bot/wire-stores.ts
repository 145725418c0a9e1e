/** Every Redis-backed store, named as the handler context names them (bot/main.ts and test harnesses). */

import type { Keys } from '../adapters/store/keys.js';
import { RedisAlertStore } from '../adapters/store/redis-alert-state.js';
import { RedisArcFleetStore } from '../adapters/store/redis-arc-fleet.js';
import { RedisAuditLog } from '../adapters/store/redis-audit.js';
import type { RedisClient } from '../adapters/store/redis-client.js';
import { RedisDigestStore } from '../adapters/store/redis-digest-store.js';
import { RedisDrillStore } from '../adapters/store/redis-drills.js';
import { RedisPostureStore } from '../adapters/store/redis-posture-store.js';
import { RedisProposalStore } from '../adapters/store/redis-proposals.js';
import { RedisSubscriptions } from '../adapters/store/redis-subscriptions.js';
import { RedisUpdateWaiters } from '../adapters/store/redis-update-waiters.js';
import type { Logger } from './logger.js';

export interface Stores {
  postures: RedisPostureStore;
  /** Replies waiting for a scan to re-render them. */
  waiters: RedisUpdateWaiters;
  /** Alerts (DESIGN §8): state and subscriptions in Redis, so restarts and replicas agree. */
  alerts: RedisAlertStore;
  subscriptions: RedisSubscriptions;
  /** Approvals (DESIGN §7): proposals and the audit stream. */
  proposals: RedisProposalStore;
  audit: RedisAuditLog;
  /** The last digest's summary (DESIGN §11). */
  digests: RedisDigestStore;
  /** The Arc fleet from Resource Graph (DESIGN §12). */
  arcFleet: RedisArcFleetStore;
  /** Restore drill records (DESIGN §10). */
  drills: RedisDrillStore;
}

export function wireStores(redis: RedisClient, keys: Keys, logger: Logger): Stores {
  return {
    postures: new RedisPostureStore(redis, keys),
    waiters: new RedisUpdateWaiters(redis, keys),
    alerts: new RedisAlertStore(redis, keys),
    subscriptions: new RedisSubscriptions(redis, keys),
    proposals: new RedisProposalStore(redis, keys),
    audit: new RedisAuditLog(redis, keys, logger),
    digests: new RedisDigestStore(redis, keys),
    arcFleet: new RedisArcFleetStore(redis, keys),
    drills: new RedisDrillStore(redis, keys),
  };
}
