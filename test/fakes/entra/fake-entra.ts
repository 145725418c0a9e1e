/**
 * A loopback fake of the Microsoft Entra endpoints MSAL uses for a client-credentials token (the
 * real `@azure/identity` `ClientSecretCredential` with `authorityHost` pointing here and
 * `disableInstanceDiscovery`): the tenant's OpenID configuration and `oauth2/v2.0/token`.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { fakeTls } from '../kube-api/tls.js';

export interface TokenGrant {
  tenant: string;
  clientId: string;
  scope: string;
  token: string;
}

export class FakeEntra {
  readonly grants: TokenGrant[] = [];
  readonly clientId = `client-${randomBytes(4).toString('hex')}`;
  readonly clientSecret = `secret-${randomBytes(8).toString('hex')}`;
  readonly tenantId = '72f988bf-86f1-41af-91ab-2d7cd011db47';
  /** Refuse every token request (as for a revoked secret). */
  refuse = false;

  private constructor(
    private readonly server: Server,
    readonly url: string,
    readonly caCert: string,
  ) {
    server.on('request', (req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => {
        body += c.toString();
      });
      req.on('end', () => {
        const r = this.handle(req.method ?? 'GET', new URL(req.url ?? '/', this.url).pathname, body);
        res.writeHead(r.status, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify(r.body));
      });
    });
  }

  static async start(): Promise<FakeEntra> {
    const tls = await fakeTls();
    const server = createServer({ key: tls.key, cert: tls.cert });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    const port = (server.address() as AddressInfo).port;
    return new FakeEntra(server, `https://localhost:${port}`, tls.caCert);
  }

  isIssued(token: string): boolean {
    return this.grants.some((g) => g.token === token);
  }

  private handle(method: string, path: string, body: string): { status: number; body: unknown } {
    const m = path.match(/^\/([^/]+)\/(v2\.0\/\.well-known\/openid-configuration|oauth2\/v2\.0\/token)$/);
    if (!m) return { status: 404, body: { error: 'not_found' } };
    const tenant = m[1];
    const base = `${this.url}/${tenant}`;
    if (method === 'GET' && m[2].startsWith('v2.0'))
      return {
        status: 200,
        body: {
          token_endpoint: `${base}/oauth2/v2.0/token`,
          authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
          end_session_endpoint: `${base}/oauth2/v2.0/logout`,
          device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
          issuer: `${base}/v2.0`,
          jwks_uri: `${base}/discovery/v2.0/keys`,
          response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
          token_endpoint_auth_methods_supported: [
            'client_secret_post',
            'private_key_jwt',
            'client_secret_basic',
          ],
        },
      };
    if (method !== 'POST') return { status: 405, body: { error: 'invalid_request' } };
    const form = new URLSearchParams(body);
    if (
      this.refuse ||
      form.get('grant_type') !== 'client_credentials' ||
      form.get('client_id') !== this.clientId ||
      form.get('client_secret') !== this.clientSecret
    )
      return {
        status: 401,
        body: {
          error: 'invalid_client',
          error_description: 'AADSTS7000215: Invalid client secret provided.',
          error_codes: [7000215],
        },
      };
    const token = `entra-${randomBytes(16).toString('hex')}`;
    this.grants.push({ tenant, clientId: this.clientId, scope: form.get('scope') ?? '', token });
    return {
      status: 200,
      body: { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: token },
    };
  }

  close(): Promise<void> {
    return new Promise((ok) => this.server.close(() => ok()));
  }
}
