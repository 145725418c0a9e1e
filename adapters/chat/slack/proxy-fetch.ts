/** A fetch for the Slack WebClient and response_url posts that honours HTTPS_PROXY / HTTP_PROXY / NO_PROXY. */
import { EnvHttpProxyAgent, fetch as undiciFetch } from 'undici';

export type FetchFunction = typeof globalThis.fetch;

export interface ProxyTransport {
  fetch: FetchFunction;
  /** For Socket Mode's websocket and its `apps.connections.open` calls. */
  dispatcher: EnvHttpProxyAgent;
}

/** Undefined when no proxy is configured: then the global fetch (no proxy) is used. */
export function proxyTransport(env: Record<string, string | undefined>): ProxyTransport | undefined {
  const httpsProxy = env.HTTPS_PROXY ?? env.https_proxy;
  const httpProxy = env.HTTP_PROXY ?? env.http_proxy;
  if (!httpsProxy && !httpProxy) return undefined;
  const dispatcher = new EnvHttpProxyAgent({
    httpProxy,
    httpsProxy: httpsProxy ?? httpProxy,
    noProxy: env.NO_PROXY ?? env.no_proxy,
  });
  // undici's fetch types differ nominally from the DOM lib's; the runtime contract is the same.
  const fetch = ((input: Parameters<FetchFunction>[0], init?: RequestInit) =>
    undiciFetch(input as never, { ...(init as object), dispatcher } as never)) as unknown as FetchFunction;
  return { fetch, dispatcher };
}
