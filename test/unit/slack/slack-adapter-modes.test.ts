import { SlackAdapter } from '../../../adapters/chat/slack/slack-adapter.js';
import { HttpServer } from '../../../adapters/http/http-server.js';

const base = {
  botToken: 'xoxb-test',
  signingSecret: 's',
  deduper: { firstTime: async () => true },
  proxyEnv: {},
};

describe('SlackAdapter transport', () => {
  it('uses Socket Mode without an HTTP server when an app token is given', () => {
    expect(new SlackAdapter({ ...base, appToken: 'xapp-test' }).platform).toBe('slack');
  });

  it('needs the shared HTTP server over HTTP and mounts POST /slack/events on it', async () => {
    expect(() => new SlackAdapter(base)).toThrow(/HttpServer is required/);
    const http = new HttpServer();
    new SlackAdapter({ ...base, http });
    const port = await http.listen(0, '127.0.0.1');
    try {
      const get = await fetch(`http://127.0.0.1:${port}/slack/events`);
      expect(get.status).toBe(405); // the route exists, for POST only
      const unsigned = await fetch(`http://127.0.0.1:${port}/slack/events`, { method: 'POST', body: 'x=1' });
      expect(unsigned.status).toBe(401);
    } finally {
      await http.close();
    }
  });
});
