/**
 * `durable-graph codec-server`: a codec server with the keys of DURABLE_GRAPH_ENCRYPTION_KEYS, so the Web UI and the
 * `temporal` CLI (`--codec-endpoint`) show encrypted threads in clear, until Ctrl-C.
 */
import type { Command } from 'commander';
import {
  DEFAULT_ALLOWED_ORIGINS,
  ENCRYPTION_KEYS_ENV,
  encryptionCodec,
  encryptionKeysFromEnv,
  startCodecServer,
} from '../../codec/index.js';
import { CliError, note, parsePort, print, type GlobalOptions } from '../context.js';

/** The environment variable holding the codec server's bearer token. */
export const CODEC_TOKEN_ENV = 'DURABLE_GRAPH_CODEC_TOKEN';

interface CodecServerCliOptions extends GlobalOptions {
  port: number;
  ip: string;
  origin?: string[];
  token?: string;
  insecureNoAuth?: boolean;
}

export function registerCodecServer(program: Command): void {
  program
    .command('codec-server')
    .description(
      `Serve Temporal's codec protocol with the keys of ${ENCRYPTION_KEYS_ENV}, for the Web UI and \`temporal --codec-endpoint\`, until Ctrl-C.`,
    )
    .option('--port <port>', 'port to listen on', parsePort, 8888)
    .option('--ip <ip>', 'address to bind', '127.0.0.1')
    .option(
      '--origin <origin...>',
      `Web UI origin allowed to call it (repeatable; "*" for any) (default: ${DEFAULT_ALLOWED_ORIGINS.join(', ')})`,
    )
    .option('--token <token>', `token callers send as "Authorization: Bearer <token>" (default: ${CODEC_TOKEN_ENV})`)
    .option('--insecure-no-auth', 'accept calls without a token (a developer machine only: it decrypts for anyone)')
    .action(async (_options: unknown, command: Command) => {
      await runCodecServer(command.optsWithGlobals<CodecServerCliOptions>());
    });
}

async function runCodecServer(options: CodecServerCliOptions): Promise<void> {
  const keys = encryptionKeysFromEnv();
  if (!keys)
    throw new CliError(
      `${ENCRYPTION_KEYS_ENV} is not set: the codec server needs the keys the Workers encrypt with. ` +
        `Set it as for the Workers, e.g. ${ENCRYPTION_KEYS_ENV}="k1:$(openssl rand -base64 32)" for a new key.`,
    );
  const token = options.token ?? process.env[CODEC_TOKEN_ENV] ?? '';
  if (!token && !options.insecureNoAuth)
    throw new CliError(
      `The codec server decrypts for whoever calls it, so it needs a token: pass --token or set ${CODEC_TOKEN_ENV} ` +
        `(e.g. export ${CODEC_TOKEN_ENV}=$(openssl rand -hex 24)). On a developer machine only, --insecure-no-auth turns the check off.`,
    );
  const origins = options.origin?.length ? options.origin : DEFAULT_ALLOWED_ORIGINS;
  let server: Awaited<ReturnType<typeof startCodecServer>>;
  try {
    server = await startCodecServer({
      codec: encryptionCodec({ keys }),
      ...(options.insecureNoAuth ? { auth: false } : { token }),
      allowedOrigins: origins,
      port: options.port,
      host: options.ip,
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE')
      throw new CliError(`Port ${options.port} on ${options.ip} is taken; choose another with --port.`, {
        cause: error,
      });
    throw error;
  }
  // The token itself is not printed: it would end up in terminal logs.
  const auth = options.insecureNoAuth
    ? ''
    : ` --codec-auth "Bearer ${options.token ? '<token>' : `$${CODEC_TOKEN_ENV}`}"`;
  print(
    [
      `Codec server listening on ${server.url} (keys: ${keys.map((k) => `"${k.id}"`).join(', ')}; "${keys[0]!.id}" encrypts).`,
      `  Authentication  ${options.insecureNoAuth ? 'OFF (--insecure-no-auth)' : `Authorization: Bearer <token> (${options.token ? '--token' : CODEC_TOKEN_ENV})`}`,
      `  Browser origins ${origins.join(', ')}`,
      '',
      'Read encrypted threads in clear with the temporal CLI:',
      `  temporal workflow show --workflow-id <thread> --codec-endpoint ${server.url}${auth}`,
      `In the Web UI: Settings (the codec icon) → Codec Server endpoint ${server.url}` +
        (options.insecureNoAuth ? '.' : ' (the Web UI sends only its own access token: see docs/encryption.md).'),
      '',
      'Press Ctrl-C to stop.',
    ].join('\n'),
  );
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      note('Stopping the codec server…');
      server.close().then(resolve, resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  print('Codec server stopped.');
}
