/**
 * The Bot Framework app credentials (MicrosoftAppId, …) as botbuilder's
 * ConfigurationBotFrameworkAuthentication takes them, checked the way its credential factory checks
 * them (botbuilder-core 4.23, configurationServiceClientCredentialFactory.js: same rules, same
 * messages, same AssertionError) but without loading botbuilder: the adapter creates the CloudAdapter
 * on first use, and a bad configuration must still stop the process when the adapter is constructed.
 */
import { ok } from 'node:assert';

export interface BotCredentials {
  MicrosoftAppId: string;
  MicrosoftAppPassword: string;
  MicrosoftAppTenantId: string;
  MicrosoftAppType: string;
}

export function botCredentials(o: {
  appId?: string;
  appPassword?: string;
  tenantId?: string;
  appType?: string;
}): BotCredentials {
  const appId = o.appId ?? '';
  const credentials: BotCredentials = {
    MicrosoftAppId: appId,
    MicrosoftAppPassword: o.appPassword ?? '',
    MicrosoftAppTenantId: o.tenantId ?? '',
    // An empty app id makes botbuilder skip JWT validation inbound and send no token outbound, for any
    // serviceUrl: that is the Emulator's anonymous mode, and what the loopback tests use.
    MicrosoftAppType: o.appType ?? (appId ? 'MultiTenant' : ''),
  };
  checkBotCredentials(credentials);
  return credentials;
}

function checkBotCredentials(c: BotCredentials): void {
  switch (c.MicrosoftAppType.trim().toLocaleLowerCase()) {
    case 'userassignedmsi':
      ok(c.MicrosoftAppId.trim(), 'MicrosoftAppId is required for MSI in configuration.');
      ok(c.MicrosoftAppTenantId.trim(), 'MicrosoftAppTenantId is required for MSI in configuration.');
      ok(!c.MicrosoftAppPassword.trim(), 'MicrosoftAppPassword must not be set for MSI in configuration.');
      return;
    case 'singletenant':
      ok(c.MicrosoftAppId.trim(), 'MicrosoftAppId is required for SingleTenant in configuration.');
      ok(
        c.MicrosoftAppTenantId.trim(),
        'MicrosoftAppTenantId is required for SingleTenant in configuration.',
      );
      ok(
        c.MicrosoftAppPassword.trim(),
        'MicrosoftAppPassword is required for SingleTenant in configuration.',
      );
      return;
    default:
      // MultiTenant (and anything else, as botbuilder treats it): nothing is required.
      return;
  }
}
