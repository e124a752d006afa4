import { createServer } from 'node:net';

/** Binds port 0 on `ip` to let the OS pick a free port, then releases it for the server. */
export function findFreePort(ip: string, avoid: number[] = []): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, ip, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => {
        if (port === 0) reject(new Error(`Could not find a free port on ${ip}`));
        else if (avoid.includes(port)) findFreePort(ip, avoid).then(resolvePromise, reject);
        else resolvePromise(port);
      });
    });
  });
}
