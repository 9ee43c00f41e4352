// Runs the compiled browser tests (build-browser/test/browser/*.test.js) one file at a time: they share the real
// services (one of them restarts the gateway) and each launches its own headless Chromium. The harness support needs a
// global WebSocket, which Node 20 has only with --experimental-websocket (Node 22+ accepts the flag too).
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const dir = join('build-browser', 'test', 'browser');
const files = readdirSync(dir).filter((f) => f.endsWith('.test.js')).sort().map((f) => join(dir, f));
const major = Number(process.versions.node.split('.')[0]);
const flags = major < 22 ? ['--experimental-websocket'] : [];
const result = spawnSync(process.execPath, [...flags, '--test', '--test-concurrency=1', ...process.argv.slice(2), ...files],
  { stdio: 'inherit' });
process.exit(result.status ?? 1);
