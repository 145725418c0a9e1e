/** A fetch for the Slack WebClient and response_url posts that honours HTTPS_PROXY / HTTP_PROXY / NO_PROXY. */
import { EnvHttpProxyAgent, fetch as undiciFetch } from 'undici';

export type FetchFunction = typeof globalThis.fetch;

/** Undefined when no proxy is configured: then the global fetch (no proxy) is used. */
export function proxyAwareFetch(env: Record<string, string | undefined>): FetchFunction | undefined {
  const httpsProxy = env.HTTPS_PROXY ?? env.https_proxy;
  const httpProxy = env.HTTP_PROXY ?? env.http_proxy;
  if (!httpsProxy && !httpProxy) return undefined;
  const dispatcher = new EnvHttpProxyAgent({
    httpProxy,
    httpsProxy: httpsProxy ?? httpProxy,
    noProxy: env.NO_PROXY ?? env.no_proxy,
  });
  // undici's fetch types differ nominally from the DOM lib's; the runtime contract is the same.
  return ((input: Parameters<FetchFunction>[0], init?: RequestInit) =>
    undiciFetch(input as never, { ...(init as object), dispatcher } as never)) as unknown as FetchFunction;
}
