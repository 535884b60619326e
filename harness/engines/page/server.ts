// The harness page's HTTP server on 127.0.0.1 (a secure context, which navigator.gpu requires). It serves the page and
// its bundle, hands out batch bytes by id, and takes result bytes back: binary both ways.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';

const PAGE = `<!doctype html><meta charset="utf-8"><title>kernelscope engine</title>
<script type="module" src="/host.js"></script><body>kernelscope engine page</body>`;

export class PageServer {
  private batches = new Map<number, Uint8Array>();
  private results = new Map<number, Uint8Array>();
  private nextId = 1;

  private constructor(private server: Server, readonly origin: string) {}

  static async start(scriptPath: string): Promise<PageServer> {
    const script = readFileSync(scriptPath);
    let self: PageServer | undefined;
    const server = createServer((req, res) => self!.handle(req, res, script));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    self = new PageServer(server, `http://127.0.0.1:${port}`);
    return self;
  }

  /** Puts a batch up for the page; returns its id. */
  offer(bytes: Uint8Array): number {
    const id = this.nextId++;
    this.batches.set(id, bytes);
    return id;
  }

  /** Takes the result the page posted for `id` (and forgets the batch). */
  take(id: number): Uint8Array | undefined {
    this.batches.delete(id);
    const r = this.results.get(id);
    this.results.delete(id);
    return r;
  }

  private handle(req: IncomingMessage, res: ServerResponse, script: Buffer) {
    const url = new URL(req.url ?? '/', this.origin);
    const m = /^\/(batch|result)\/(-?\d+)$/.exec(url.pathname);
    if (req.method === 'GET' && url.pathname === '/') return send(res, 200, 'text/html', PAGE);
    if (req.method === 'GET' && url.pathname === '/host.js') return send(res, 200, 'text/javascript', script);
    if (req.method === 'GET' && m?.[1] === 'batch') {
      const b = this.batches.get(Number(m[2]));
      return b ? send(res, 200, 'application/octet-stream', b) : send(res, 404, 'text/plain', 'no such batch');
    }
    if (req.method === 'POST' && m?.[1] === 'result') {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const all = Buffer.concat(chunks);
        this.results.set(Number(m[2]), new Uint8Array(all.buffer, all.byteOffset, all.byteLength));
        send(res, 204, 'text/plain', '');
      });
      return;
    }
    if (url.pathname === '/favicon.ico') return send(res, 204, 'text/plain', '');
    send(res, 404, 'text/plain', 'not found');
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((r) => this.server.close(() => r()));
  }
}

function send(res: ServerResponse, status: number, type: string, body: string | Uint8Array) {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}
