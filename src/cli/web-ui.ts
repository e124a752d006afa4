/**
 * The thread's page in the Temporal Web UI: `<ui>/namespaces/<namespace>/workflows/<thread>`, which shows the latest
 * run. Where the UI is: `--web-ui`, else TEMPORAL_UI, else the dev server this folder runs (`durable-graph dev`
 * records its UI), else for the default local server (localhost:7233) the UI `temporal server start-dev` starts
 * beside it (localhost:8233); none for any other server nobody named.
 */
import { liveDevServer } from './dev-server-file.js';

/** The UI's base URL, or null when it is not known. */
export function webUiBase(address: string, flag?: string): string | null {
  const named = flag || process.env.TEMPORAL_UI;
  if (named) return normalize(named);
  const dev = liveDevServer();
  if (dev && dev.address === address) return dev.uiUrl;
  const local = /^(localhost|127\.0\.0\.1):7233$/.exec(address);
  return local ? `http://${local[1]}:8233` : null;
}

/** The link to a thread's page, or null when the UI is not known. */
export function threadWebUiLink(base: string | null, namespace: string, threadId: string): string | null {
  if (!base) return null;
  return `${base}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(threadId)}`;
}

/** `localhost:8233` → `http://localhost:8233`; no trailing slash. */
function normalize(url: string): string {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? url : `http://${url}`;
  return withScheme.replace(/\/+$/, '');
}
