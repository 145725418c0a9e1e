/** Starts the simulated fleet (fake Kubernetes API + fake Key Vault) and writes the demo's config. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { stringify } from 'yaml';
import { shellUser } from '../adapters/chat/shell/shell-adapter.js';
import { KeyVaultMetadataSource } from '../adapters/keyvault/key-vault-metadata-source.js';
import type { ArcFleetSource } from '../jobs/fleet/arc-inventory.js';
import type { SecretMetadataSource } from '../jobs/keyvault-enricher.js';
import { FakeKeyVault } from '../test/fakes/key-vault/fake-key-vault.js';
import { FakeKubeApi } from '../test/fakes/kube-api/fake-kube-api.js';
import { startDemoArc } from './demo-arc.js';
import {
  type DemoWorld,
  demoAttestedStorageClasses,
  demoFleet,
  demoScenarios,
  demoVaultName,
} from './scenarios.js';

export interface DemoFleet {
  world: DemoWorld & { vault: FakeKeyVault };
  configPath: string;
  /** Key Vault metadata through the real SecretClient, with the fake vault's token and CA. */
  secretMetadataSource: SecretMetadataSource;
  /** The Arc fleet through the real ClientSecretCredential and a fake Resource Graph. */
  arcFleetSource: ArcFleetSource;
  close(): Promise<void>;
}

export async function startDemoFleet(dir = resolve('.dpbot', 'demo')): Promise<DemoFleet> {
  mkdirSync(dir, { recursive: true });
  const kube = await FakeKubeApi.start({ latencyMs: 5 });
  const vault = await FakeKeyVault.start();
  const world = { kube, vault, now: Date.now() };
  for (const c of demoFleet) if (c.scenario !== 'unreachable') demoScenarios[c.scenario](world, c.name);
  const kubeconfig = resolve(dir, 'kubeconfig');
  kube.writeKubeconfig(
    kubeconfig,
    demoFleet.map((c) => c.name),
    { unreachable: demoFleet.filter((c) => c.scenario === 'unreachable').map((c) => c.name) },
  );
  const unreachable = demoFleet.filter((c) => c.scenario === 'unreachable').map((c) => c.name);
  const arc = await startDemoArc(
    world.now,
    demoFleet.map((c) => c.name).filter((n) => !unreachable.includes(n)),
    unreachable,
  );
  const user = shellUser(process.env);
  const config = {
    defaults: { scanInterval: '5m', alerts: { openAfter: 1 } },
    clusters: demoFleet.map((c) => ({
      name: c.name,
      kubeconfig,
      context: c.name,
      keyVaults: { [demoVaultName(c.name)]: vault.url },
      // The demo names its own shell users: alice proposes, bob approves, whoever runs it operates.
      access: { viewers: ['*'], operators: ['shell:alice', `shell:${user}`], approvers: ['shell:bob'] },
      ...(demoAttestedStorageClasses[c.name]
        ? { encryption: { attestedStorageClasses: demoAttestedStorageClasses[c.name] } }
        : {}),
    })),
    // The fake vault answers on 127.0.0.1, which is not a *.vault.azure.net host.
    keyVault: { verifyChallengeResource: false },
    fleet: arc.fleetConfig,
  };
  const configPath = resolve(dir, 'config.yaml');
  writeFileSync(configPath, stringify(config));
  const secretMetadataSource = new KeyVaultMetadataSource({
    credential: {
      getToken: async () => ({ token: vault.token, expiresOnTimestamp: Date.now() + 3_600_000 }),
    },
    verifyChallengeResource: false,
    clientOptions: { tlsOptions: { ca: vault.caCert }, retryOptions: { maxRetries: 0 } },
  });
  return {
    world,
    configPath,
    secretMetadataSource,
    arcFleetSource: arc.source,
    close: async () => {
      await arc.close();
      await vault.close();
      await kube.close();
    },
  };
}
