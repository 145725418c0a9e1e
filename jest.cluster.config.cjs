/**
 * `npm run test:redis-cluster`: the suites where Redis semantics matter (scan scheduling, the alert race,
 * two workers, concurrent approvals, notify ordering, pacing) on a real 6-node Redis Cluster with ioredis
 * Cluster, plus the failover and TLS/ACL tests (which start their own servers).
 */
const base = require('./jest.config.cjs');

module.exports = {
  ...base,
  testMatch: [
    '**/integration/scheduler-sync.test.ts',
    '**/integration/alert-race.test.ts',
    '**/integration/alert-two-workers.test.ts',
    '**/integration/approval-flow.test.ts',
    '**/integration/notify-order.test.ts',
    '**/integration/channel-pacer.test.ts',
    '**/redis-cluster/*.cluster-test.ts',
  ],
  globalSetup: '<rootDir>/test/support/cluster-global-setup.ts',
  globalTeardown: '<rootDir>/test/support/cluster-global-teardown.ts',
};
