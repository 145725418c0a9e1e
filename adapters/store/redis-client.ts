import type { Cluster, Redis } from 'ioredis';

/** dpbot's Redis client: one server, or Redis Cluster (REDIS_URL=redis+cluster://…, REDIS_CLUSTER_NODES). */
export type RedisClient = Redis | Cluster;
