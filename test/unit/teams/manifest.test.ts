/** The Teams app package in teams-app/: limits Teams enforces at upload time, checked before anyone sideloads it. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = join(__dirname, '../../../teams-app');
const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function pngSize(file: string): { width: number; height: number } {
  const png = readFileSync(join(dir, file));
  expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

test('one bot in personal, team and group chat scopes, with GUID ids', () => {
  expect(manifest.id).toMatch(GUID);
  expect(manifest.bots).toHaveLength(1);
  expect(manifest.bots[0].botId).toMatch(GUID);
  expect(manifest.bots[0].scopes.sort()).toEqual(['groupChat', 'personal', 'team']);
});

test('command hints fit Teams limits (≤ 10 per list, title ≤ 32, description ≤ 128 chars)', () => {
  for (const list of manifest.bots[0].commandLists) {
    expect(list.commands.length).toBeLessThanOrEqual(10);
    for (const c of list.commands) {
      expect(c.title.length).toBeLessThanOrEqual(32);
      expect(c.description.length).toBeLessThanOrEqual(128);
    }
  }
  expect(manifest.name.short.length).toBeLessThanOrEqual(30);
  expect(manifest.description.short.length).toBeLessThanOrEqual(80);
  expect(manifest.description.full.length).toBeLessThanOrEqual(4000);
});

test('icons exist at the sizes Teams requires (color 192×192, outline 32×32)', () => {
  expect(pngSize(manifest.icons.color)).toEqual({ width: 192, height: 192 });
  expect(pngSize(manifest.icons.outline)).toEqual({ width: 32, height: 32 });
});

test('`dp status` without a mention reaches the bot in channels and group chats (RSC), bound to the bot id', () => {
  const rsc = manifest.authorization.permissions.resourceSpecific.map(
    (p: { name: string; type: string }) => p,
  );
  expect(rsc).toEqual(
    expect.arrayContaining([
      { name: 'ChannelMessage.Read.Group', type: 'Application' },
      { name: 'ChatMessage.Read.Chat', type: 'Application' },
    ]),
  );
  // RSC needs webApplicationInfo: the same app id as the bot.
  expect(manifest.webApplicationInfo.id).toBe(manifest.bots[0].botId);
});
