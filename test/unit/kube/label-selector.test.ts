import { parseLabelSelector } from '../../fakes/kube-api/label-selector.js';

describe('fake kube-api label selectors', () => {
  const labels = { app: 'pos', tier: 'db' };
  it.each([
    ['app=pos', true],
    ['app==pos', true],
    ['app!=pos', false],
    ['app in (web, pos)', true],
    ['app notin (pos)', false],
    ['tier', true],
    ['!tier', false],
    ['!missing', true],
    ['app=pos,tier in (db)', true],
    ['app=pos,tier=web', false],
    ['', true],
  ])('%s → %s', (selector, expected) => {
    expect(parseLabelSelector(selector)(labels)).toBe(expected);
  });

  it('rejects a malformed selector', () => {
    expect(() => parseLabelSelector('app in pos')).toThrow('unable to parse');
  });
});
