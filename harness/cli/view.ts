// `kernelscope view`: serves the visualizer on 127.0.0.1 until interrupted. Without --port it listens on VIEW_PORT,
// where the cross-engine report's "side by side" links point, or on any free port when that one is taken.
import { VIEW_PORT } from '../reports/crossengine.ts';
import { UsageError } from './usage.ts';

export async function viewCommand(o: { kernel?: string; fixture?: string; port?: number }): Promise<number> {
  const { serveVisualizer, ViewRefused } = await import('../view/server.ts');
  let server;
  try {
    server = await serveVisualizer({ ...o, port: o.port ?? VIEW_PORT });
  } catch (e) {
    if (e instanceof ViewRefused) throw new UsageError(e.message);
    // Trial 95 B3: a port another program holds ended in Node's stack.
    if (o.port !== undefined && (e as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new UsageError(`port ${o.port} on 127.0.0.1 is in use by another program: give another with --port N, or leave --port out for any free one`);
    if (o.port !== undefined || (e as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw e;
    server = await serveVisualizer(o);
    console.log(`port ${VIEW_PORT} is taken: the report's "side by side" links will not reach this server`);
  }
  console.log(`kernelscope visualizer: ${server.url}`);
  console.log('press Ctrl+C to stop');
  await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
  await server.close();
  return 0;
}
