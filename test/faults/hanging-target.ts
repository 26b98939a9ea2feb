// A tiny target whose pages never answer: /api/ready says "up" (so the monitor's probe passes)
// and every other request is accepted and left hanging until the server closes.
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export type HangingTarget = { url: string; hung: () => number; close(): Promise<void> };

export async function startHangingTarget(): Promise<HangingTarget> {
  let hung = 0;
  const server = createServer((req, res) => {
    if (req.url?.startsWith('/api/ready')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"ready":true}');
      return;
    }
    hung++;
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hung: () => hung,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
