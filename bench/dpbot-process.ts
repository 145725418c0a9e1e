/**
 * Child process: the real dpbot (`startDpbot`, as `tsx bot/cli.ts --role …` would run it), measured on
 * its own. The only stand-ins are the Key Vault credential and CA (the fake vault's token and self-signed
 * certificate); everything else — BullMQ, Redis, client-node, checks, Slack — is the production path.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import type { AccessToken, TokenCredential } from '@azure/identity';
import { KeyVaultMetadataSource } from '../adapters/keyvault/key-vault-metadata-source.js';
import { createLogger } from '../bot/logger.js';
import { type Dpbot, type Role, startDpbot } from '../bot/main.js';
import { lowerWorkerPriority } from '../bot/process-priority.js';
import { serve } from './ipc.js';

const env = process.env;
const role = (env.BENCH_ROLE ?? 'worker') as Role;
let bot: Dpbot | undefined;
let profiler: Session | undefined;

serve({
  async start(): Promise<{ httpPort?: number }> {
    const credential: TokenCredential = {
      getToken: async (): Promise<AccessToken> => ({
        token: env.BENCH_VAULT_TOKEN ?? '',
        expiresOnTimestamp: Date.now() + 3_600_000,
      }),
    };
    const logger = createLogger(env.LOG_LEVEL ?? 'info');
    lowerWorkerPriority(role, env, logger); // as bot/cli.ts does
    bot = await startDpbot({
      configPath: env.DPBOT_CONFIG,
      role,
      env,
      logger,
      secretMetadataSource: new KeyVaultMetadataSource({
        credential,
        verifyChallengeResource: false,
        clientOptions: { tlsOptions: { ca: env.BENCH_VAULT_CA ?? '' } },
      }),
    });
    return { httpPort: bot.httpPort };
  },
  /** CPU profile of this process (the V8 sampling profiler, as `--cpu-prof`) between start and stop. */
  async profileStart() {
    profiler = new Session();
    profiler.connect();
    await profiler.post('Profiler.enable');
    await profiler.post('Profiler.setSamplingInterval', { interval: 1000 });
    await profiler.post('Profiler.start');
  },
  async profileStop(path) {
    const { profile } = await profiler!.post('Profiler.stop');
    writeFileSync(path as string, JSON.stringify(profile));
    profiler!.disconnect();
  },
});

const stop = async () => {
  await bot?.stop();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('disconnect', () => void stop());
