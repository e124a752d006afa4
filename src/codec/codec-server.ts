/**
 * A codec server: Temporal's remote codec protocol over HTTP, so the Web UI and the `temporal` CLI
 * (`--codec-endpoint`) show encrypted payloads in clear. `POST /encode` and `POST /decode` (also under a namespace
 * segment, `/<namespace>/decode`) take and return `{ "payloads": [...] }` in protobuf JSON; `X-Namespace` names the
 * namespace. Browsers are let in from the allowed origins only (CORS, preflight answered), and every call needs
 * `Authorization: Bearer <token>` unless authentication is turned off for local development.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { JSONToPayload, payloadToJSON, type JSONPayload } from '@temporalio/common/lib/proto-utils.js';
import { isDurableGraphError } from '../errors.js';

/** The Web UI of `temporal server start-dev` and `durable-graph dev`. */
export const DEFAULT_ALLOWED_ORIGINS: readonly string[] = ['http://localhost:8233', 'http://127.0.0.1:8233'];

/** Options of {@link startCodecServer}. */
export interface CodecServerOptions {
  /** The codec whose encode and decode the endpoints run, e.g. `encryptionCodec({ keys })`. */
  codec: PayloadCodec;
  /**
   * The token callers send as `Authorization: Bearer <token>`. Required unless `authorize` is given or `auth` is false.
   */
  token?: string;
  /**
   * Decides instead of `token` whether a call may proceed, from its `Authorization` header (e.g. to check the access
   * token the Web UI passes when "Pass access token" is on).
   */
  authorize?: (authorization: string | undefined, request: IncomingMessage) => boolean | Promise<boolean>;
  /** false: no authentication at all, for a server on a developer's machine only. @default true */
  auth?: boolean;
  /** Origins browsers may call from (the Web UI's), or `["*"]` for any. @default the local dev server's Web UI, port 8233 */
  allowedOrigins?: readonly string[];
  /** @default 8888; 0 picks a free port */
  port?: number;
  /** @default "127.0.0.1" */
  host?: string;
  /** Largest request body accepted. @default 64 MiB */
  maxBodyBytes?: number;
}

/** A running codec server. */
export interface CodecServer {
  /** e.g. `http://127.0.0.1:8888`: the value of `--codec-endpoint` and of the Web UI's codec endpoint. */
  readonly url: string;
  readonly port: number;
  /** Stops accepting calls and closes the open ones. */
  close(): Promise<void>;
}

/**
 * Starts a codec server.
 * @throws Error when no token, `authorize` or `auth: false` is given (a codec server decrypts for whoever calls it).
 */
export async function startCodecServer(options: CodecServerOptions): Promise<CodecServer> {
  const authorize = authorizer(options);
  const origins = new Set(options.allowedOrigins ?? DEFAULT_ALLOWED_ORIGINS);
  const maxBody = options.maxBodyBytes ?? 64 * 1024 * 1024;
  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) send(response, 500, { error: `The codec server failed: ${messageOf(error)}` });
      else response.destroy();
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const origin = request.headers.origin;
    if (origin !== undefined) {
      if (!origins.has('*') && !origins.has(origin))
        return send(response, 403, {
          error: `Origin ${origin} may not call this codec server; start it with --origin ${origin} to allow it.`,
        });
      response.setHeader('Access-Control-Allow-Origin', origin);
      response.setHeader('Access-Control-Allow-Credentials', 'true');
      response.setHeader('Vary', 'Origin');
    }
    if (request.method === 'OPTIONS') {
      response.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
      response.setHeader(
        'Access-Control-Allow-Headers',
        request.headers['access-control-request-headers'] ?? 'Content-Type, X-Namespace, Authorization',
      );
      response.setHeader('Access-Control-Max-Age', '600');
      response.writeHead(204).end();
      return;
    }
    const operation = /^(?:\/[^/]+)?\/(encode|decode)\/?$/.exec(new URL(request.url ?? '/', 'http://x').pathname)?.[1];
    if (!operation) return send(response, 404, { error: 'Not found: POST /encode or /decode.' });
    if (request.method !== 'POST') {
      response.setHeader('Allow', 'POST, OPTIONS');
      return send(response, 405, { error: `Use POST for /${operation}.` });
    }
    if (!(await authorize(request.headers.authorization, request))) {
      response.setHeader('WWW-Authenticate', 'Bearer');
      return send(response, 401, {
        error:
          'Missing or invalid token: send "Authorization: Bearer <token>" (temporal --codec-auth "Bearer <token>").',
      });
    }
    let payloads: Payload[];
    try {
      const body = JSON.parse((await readBody(request, maxBody)).toString('utf8')) as { payloads?: unknown } | null;
      // Protobuf JSON leaves an empty list out: the `temporal` CLI sends `{}` for no payloads.
      const list = body?.payloads ?? [];
      if (typeof body !== 'object' || !Array.isArray(list)) throw new Error('"payloads" is not an array');
      payloads = list.map((p) => JSONToPayload(p as JSONPayload));
    } catch (error) {
      if (error instanceof BodyTooLargeError) return send(response, 413, { error: error.message });
      return send(response, 400, { error: `Expected {"payloads": [...]} in protobuf JSON: ${messageOf(error)}.` });
    }
    let result: Payload[];
    try {
      result = await (operation === 'encode' ? options.codec.encode(payloads) : options.codec.decode(payloads));
    } catch (error) {
      // A payload under a key this server lacks: the caller learns which and what to set.
      if (isDurableGraphError(error)) return send(response, 422, { error: error.message });
      throw error;
    }
    send(response, 200, { payloads: result.map(payloadToJSON) });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8888, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port, address, family } = server.address() as AddressInfo;
  const host = family === 'IPv6' ? `[${address}]` : address;
  return { url: `http://${host}:${port}`, port, close: () => close(server) };
}

/** The check of each call's `Authorization` header. */
function authorizer(options: CodecServerOptions): NonNullable<CodecServerOptions['authorize']> {
  if (options.authorize) return options.authorize;
  if (options.auth === false) return () => true;
  if (!options.token)
    throw new Error(
      'A codec server decrypts for whoever calls it: give it a token (callers send "Authorization: Bearer <token>"), ' +
        'or turn authentication off (auth: false, --insecure-no-auth) on a developer machine only.',
    );
  const expected = Buffer.from(`Bearer ${options.token}`);
  return (authorization) => {
    const given = Buffer.from(authorization ?? '');
    return given.length === expected.length && timingSafeEqual(given, expected);
  };
}

class BodyTooLargeError extends Error {}

async function readBody(request: IncomingMessage, max: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > max) throw new BodyTooLargeError(`The request body is over ${max} bytes.`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
}

function close(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
