/**
 * The Teams adapter checks the app credentials itself, at construction, without botbuilder (which it
 * loads on first use). These cases pin that it refuses exactly what botbuilder's own authentication
 * refuses, with the same message, and accepts the rest.
 */
import { ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import { botCredentials } from '../../../adapters/chat/teams/bot-credentials.js';
import { TeamsAdapter } from '../../../adapters/chat/teams/teams-adapter.js';
import { HttpServer } from '../../../adapters/http/http-server.js';
import { ConversationRefStore } from '../../../adapters/store/conversation-refs.js';
import type { RedisClient } from '../../../adapters/store/redis-client.js';

type Options = Parameters<typeof botCredentials>[0];

const cases: [string, 'accepted' | 'refused', Options][] = [
  ['anonymous (Emulator, loopback tests)', 'accepted', {}],
  ['MultiTenant with a password', 'accepted', { appId: 'app', appPassword: 'pw' }],
  ['MultiTenant without a password', 'accepted', { appId: 'app' }],
  [
    'SingleTenant, complete',
    'accepted',
    { appId: 'app', appPassword: 'pw', tenantId: 't', appType: 'SingleTenant' },
  ],
  ['SingleTenant without a tenant', 'refused', { appId: 'app', appPassword: 'pw', appType: 'SingleTenant' }],
  ['SingleTenant without a password', 'refused', { appId: 'app', tenantId: 't', appType: 'singletenant' }],
  [
    'SingleTenant without an app id',
    'refused',
    { appPassword: 'pw', tenantId: 't', appType: 'SingleTenant' },
  ],
  ['UserAssignedMSI, complete', 'accepted', { appId: 'app', tenantId: 't', appType: 'UserAssignedMSI' }],
  [
    'UserAssignedMSI with a password',
    'refused',
    { appId: 'app', tenantId: 't', appPassword: 'pw', appType: 'UserAssignedMSI' },
  ],
  ['UserAssignedMSI without a tenant', 'refused', { appId: 'app', appType: ' UserAssignedMsi ' }],
  ['an unknown app type (MultiTenant rules)', 'accepted', { appId: 'app', appType: 'Whatever' }],
];

/** What TeamsAdapter's constructor handed botbuilder before botbuilder was loaded lazily. */
function botbuilderCheck(o: Options): void {
  const appId = o.appId ?? '';
  new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: appId,
    MicrosoftAppPassword: o.appPassword ?? '',
    MicrosoftAppTenantId: o.tenantId ?? '',
    MicrosoftAppType: o.appType ?? (appId ? 'MultiTenant' : ''),
  });
}

function failureOf(run: () => unknown): string | undefined {
  try {
    run();
    return undefined;
  } catch (err) {
    return `${(err as Error).name}: ${(err as Error).message}`;
  }
}

describe('Teams app credentials are checked at construction, as botbuilder checks them', () => {
  test.each(cases)('%s: %s', (_name, verdict, options) => {
    const ours = failureOf(() => botCredentials(options));
    expect(ours === undefined ? 'accepted' : 'refused').toBe(verdict);
    expect(ours).toEqual(failureOf(() => botbuilderCheck(options)));
  });

  test('a bad configuration still throws from the TeamsAdapter constructor, synchronously', () => {
    const conversationRefs = new ConversationRefStore({} as RedisClient, { prefix: 'unused' });
    expect(
      () =>
        new TeamsAdapter({
          http: new HttpServer(),
          conversationRefs,
          appId: 'app',
          appPassword: 'pw',
          appType: 'SingleTenant',
        }),
    ).toThrow('MicrosoftAppTenantId is required for SingleTenant in configuration.');
  });
});
