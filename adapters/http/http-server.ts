/** The one HTTP server on PORT: Slack, Teams, health and metrics mount their routes here. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AfterAcks } from './after-acks.js';

export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;
export type RouteErrorLogger = (err: unknown, route: string) => void;

export class HttpServer {
  private readonly routes = new Map<string, RouteHandler>();
  private server?: Server;
  /** Answers wait behind the acks of deliveries still arriving (see after-acks.ts). */
  readonly afterAcks = new AfterAcks();

  constructor(private readonly onError: RouteErrorLogger = () => {}) {}

  /** Exact path match, query string ignored. */
  route(method: 'GET' | 'POST', path: string, handler: RouteHandler): void {
    this.routes.set(`${method} ${path}`, handler);
  }

  async listen(port: number, host = '0.0.0.0'): Promise<number> {
    this.server = createServer((req, res) => {
      this.afterAcks.arrived();
      void this.dispatch(req, res);
    });
    this.server.on('connection', () => this.afterAcks.arrived());
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, host, () => resolve());
    });
    return (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    const key = `${req.method} ${path}`;
    const handler = this.routes.get(key);
    if (!handler) {
      const pathKnown = [...this.routes.keys()].some((k) => k.endsWith(` ${path}`));
      res
        .writeHead(pathKnown ? 405 : 404, { 'content-type': 'text/plain' })
        .end(pathKnown ? 'method not allowed\n' : 'not found\n');
      return;
    }
    try {
      await handler(req, res);
    } catch (err) {
      this.onError(err, key);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' }).end('internal error\n');
      else res.end();
    }
  }
}
