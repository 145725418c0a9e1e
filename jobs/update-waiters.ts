/** Messages waiting for fresh scans: `/dp status` replies are updated once their clusters are scanned. */
import type { MessageRef } from '../bot/chat-port.js';

export type WaiterView =
  | { type: 'status'; clusters: string[] }
  | { type: 'backups'; cluster: string; schedule?: string; limit: number };

export interface UpdateWaiter {
  id: string;
  ref: MessageRef;
  view: WaiterView;
}

/** Port (adapters/store/redis-update-waiters.ts). */
export interface UpdateWaiters {
  /** Registers `waiter` as waiting for a scan of each of `clusters`. */
  add(waiter: UpdateWaiter, clusters: string[]): Promise<void>;
  /** Marks `cluster` scanned; returns the waiters that now have every cluster they wait for. */
  complete(cluster: string): Promise<UpdateWaiter[]>;
}
