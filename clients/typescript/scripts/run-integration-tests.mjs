// Runs the compiled integration tests (build-integration/test/integration/*.test.js) one file at a time: they share
// the real services and some of them kill those. Node 20 has no --test globs and no global WebSocket without
// --experimental-websocket (Node 22+ has it by default and still accepts the flag).
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const dir = join('build-integration', 'test', 'integration');
const files = readdirSync(dir).filter((f) => f.endsWith('.test.js')).sort().map((f) => join(dir, f));
const major = Number(process.versions.node.split('.')[0]);
const flags = major < 22 ? ['--experimental-websocket'] : [];
const result = spawnSync(process.execPath, [...flags, '--test', '--test-concurrency=1', ...process.argv.slice(2), ...files],
  { stdio: 'inherit' });
process.exit(result.status ?? 1);
