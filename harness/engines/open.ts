// Opens an engine by backend id. One that cannot start throws EngineUnavailable with the reason.
import { openDawn } from './dawn.ts';
import { EngineUnavailable, type BackendId, type Engine } from './engine.ts';

export interface OpenOptions {
  timeoutMs?: number;
}

export async function openEngine(id: BackendId, opts: OpenOptions = {}): Promise<Engine> {
  switch (id) {
    case 'dawn':
      return openDawn(opts);
    default:
      throw new EngineUnavailable(id, `the ${id} engine is not built yet`);
  }
}
