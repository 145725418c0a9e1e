/** Glue between node:http and CloudAdapter.process, which expects a parsed body and an express-like response. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request, Response } from 'botbuilder';

/** Teams activities are small; anything larger is not from Teams. */
const MAX_BODY_BYTES = 1024 * 1024;

export class BodyError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'BodyError';
  }
}

export async function readJsonBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new BodyError(413, 'request body too large');
    chunks.push(chunk as Buffer);
  }
  try {
    const body: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    if (body && typeof body === 'object' && !Array.isArray(body)) return body as Record<string, unknown>;
  } catch {
    // fall through: same answer as a non-object body
  }
  throw new BodyError(400, 'request body is not a JSON object');
}

/** The request shape botbuilder reads: method, headers and the parsed body. */
export function toBotRequest(req: IncomingMessage, body: Record<string, unknown>): Request {
  return { method: req.method, headers: req.headers, body } as Request;
}

/** The express-like response botbuilder writes: status(), header(), send(), end(). */
export function toBotResponse(res: ServerResponse): Response {
  let payload: unknown;
  const wrapper = {
    socket: res.socket,
    header(name: string, value: unknown) {
      res.setHeader(name, String(value));
      return wrapper;
    },
    status(code: number) {
      res.statusCode = code;
      return wrapper;
    },
    send(body?: unknown) {
      payload = body;
      return wrapper;
    },
    end() {
      if (res.writableEnded) return wrapper;
      if (payload === undefined || payload === null) res.end();
      else if (typeof payload === 'string' || Buffer.isBuffer(payload)) res.end(payload);
      else {
        res.setHeader('content-type', 'application/json; charset=utf-8');
        res.end(JSON.stringify(payload));
      }
      return wrapper;
    },
  };
  return wrapper as unknown as Response;
}
