import { userInfo } from 'node:os';
import { shellUser } from '../../adapters/chat/shell/shell-adapter.js';

describe('shell identity (DPBOT_SHELL_USER, default the OS user)', () => {
  it('takes DPBOT_SHELL_USER when set', () => {
    expect(shellUser({ DPBOT_SHELL_USER: 'alice', USER: 'bob' })).toBe('alice');
  });
  it('is the OS user otherwise, even where $USER is unset (containers, CI)', () => {
    let osUser = '';
    try {
      osUser = userInfo().username;
    } catch {
      // A uid without a passwd entry (some containers): shellUser falls back, so does this test.
    }
    expect(shellUser({})).toBe(osUser || 'operator');
  });
});
