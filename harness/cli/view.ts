// `kernelscope view`: serves the visualizer on 127.0.0.1 until interrupted.
export async function viewCommand(o: { kernel?: string; fixture?: string; port?: number }): Promise<number> {
  const { serveVisualizer } = await import('../view/server.ts');
  const server = await serveVisualizer(o);
  console.log(`kernelscope visualizer: ${server.url}`);
  console.log('press Ctrl+C to stop');
  await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
  await server.close();
  return 0;
}
