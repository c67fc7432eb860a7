#!/usr/bin/env node
// `node apps/proxy/dist/main.js [--config FILE] [--port N] [--host H] [--workers N]`: the gateway server.
import { applyHeapSettings } from './heap-settings.ts';

// Before the gateway's modules load: V8 sizes the heap while loading them, under the proxy's settings from here.
const heap = applyHeapSettings();
const { runCommandLine } = await import('./command-line.ts');
// A cluster primary only forks and forwards signals: it keeps the smallest young generation.
if ((await runCommandLine(process.argv.slice(2))) === 'server') heap.youngGeneration?.watch();
