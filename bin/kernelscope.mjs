#!/usr/bin/env node
// The CLI runs the TypeScript sources directly through tsx: no build step between an edit and a test.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../harness/cli/main.ts');
const code = await main(process.argv.slice(2));
// Dawn keeps the process alive while a device exists; the run is over, so leave.
process.exit(code);
