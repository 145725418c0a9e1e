import { dropOutsideSettings } from '../../support/outside-env.js';

describe('the test run ignores the developer’s own dpbot settings', () => {
  it('removes tokens, proxies and config paths by name, keeps REDIS_URL and the rest', () => {
    const env: NodeJS.ProcessEnv = {
      SLACK_BOT_TOKEN: 'fake-bot-token-not-printed',
      MicrosoftAppPassword: 'p',
      https_proxy: 'http://proxy:3128',
      NO_PROXY: 'corp',
      DPBOT_CONFIG: '/etc/dpbot/config.yaml',
      LOG_LEVEL: 'trace',
      AZURE_CLIENT_ID: 'id',
      REDIS_URL: 'redis://127.0.0.1:7000',
      DPBOT_CRDS_DIR: '/crds',
      PATH: '/usr/bin',
    };
    expect(dropOutsideSettings(env)).toEqual([
      'AZURE_CLIENT_ID',
      'DPBOT_CONFIG',
      'LOG_LEVEL',
      'MicrosoftAppPassword',
      'NO_PROXY',
      'SLACK_BOT_TOKEN',
      'https_proxy',
    ]);
    expect(env).toEqual({ REDIS_URL: 'redis://127.0.0.1:7000', DPBOT_CRDS_DIR: '/crds', PATH: '/usr/bin' });
  });
});
