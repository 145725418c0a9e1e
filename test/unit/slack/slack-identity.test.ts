import { SlackIdentityResolver } from '../../../adapters/chat/slack/slack-identity.js';
import { silentLogger } from '../../../adapters/chat/slack/slack-options.js';

describe('SlackIdentityResolver', () => {
  it('builds slack:<team>/<user> and adds the configured usergroups the user is in', async () => {
    const source = { groupMembers: jest.fn(async (g: string) => (g === 'S1' ? ['U1'] : ['U2'])) };
    const r = new SlackIdentityResolver(source, ['S1', 'S2'], 60_000, silentLogger);
    expect(await r.identify('T1', 'U1', 'alice')).toEqual({
      id: 'slack:T1/U1',
      groups: ['slack-group:S1'],
      displayName: 'alice',
    });
    expect(await r.identify('T1', 'U3')).toEqual({ id: 'slack:T1/U3', groups: [] });
    expect(source.groupMembers).toHaveBeenCalledTimes(2);
  });

  it('refetches after the cache period', async () => {
    let now = 0;
    const source = { groupMembers: jest.fn(async () => ['U1']) };
    const r = new SlackIdentityResolver(source, ['S1'], 1000, silentLogger, () => now);
    await r.identify('T1', 'U1');
    now = 999;
    await r.identify('T1', 'U1');
    now = 1000;
    await r.identify('T1', 'U1');
    expect(source.groupMembers).toHaveBeenCalledTimes(2);
  });

  it('treats a failed lookup as "not a member" (denies) and does not cache the failure', async () => {
    const source = {
      groupMembers: jest.fn().mockRejectedValueOnce(new Error('ratelimited')).mockResolvedValueOnce(['U1']),
    };
    const r = new SlackIdentityResolver(source, ['S1'], 60_000, silentLogger);
    expect((await r.identify('T1', 'U1')).groups).toEqual([]);
    expect((await r.identify('T1', 'U1')).groups).toEqual(['slack-group:S1']);
  });
});
