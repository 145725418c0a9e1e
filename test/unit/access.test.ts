import { groupsOfInterest, rolesFor } from '../../bot/access.js';
import { buildConfig } from '../../bot/config.js';

describe('access', () => {
  const cfg = buildConfig(
    {
      clusters: [
        {
          name: 'store-042',
          access: {
            viewers: ['*'],
            operators: ['slack:T01/U02'],
            approvers: ['slack-group:S0ABC', 'teams:9d2e'],
          },
        },
        { name: 'store-043' },
      ],
    },
    't',
  );
  const [c42, c43] = cfg.clusters;

  it.each([
    [{ id: 'slack:T01/U99', groups: [] }, ['viewer']],
    [{ id: 'slack:T01/U02', groups: [] }, ['viewer', 'operator']],
    [{ id: 'slack:T01/U03', groups: ['slack-group:S0ABC'] }, ['viewer', 'approver']],
    [{ id: 'teams:9d2e', groups: [] }, ['viewer', 'approver']],
  ])('%j has roles %j on store-042', (who, roles) => expect(rolesFor(c42.access, who)).toEqual(roles));

  it('without access config everyone is a viewer and nobody an operator', () => {
    expect(rolesFor(c43.access, { id: 'slack:T01/U02', groups: [] })).toEqual(['viewer']);
  });

  it('matches ids exactly, never by display name', () => {
    expect(rolesFor(c42.access, { id: 'slack:T01/U0', groups: [], displayName: 'slack:T01/U02' })).toEqual([
      'viewer',
    ]);
  });

  it('lists only the groups named in access lists', () => {
    expect(groupsOfInterest(cfg.clusters)).toEqual(['slack-group:S0ABC']);
  });
});
