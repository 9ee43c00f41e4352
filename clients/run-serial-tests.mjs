// Runs the compiled test files (*.test.js) of one folder, given as the first argument, one file at a time: the
// integration and browser tests of both packages share the real services and some of them kill or restart those (the
// browser tests also launch a Chromium each). Node 20 has no --test globs, and no global WebSocket (which the harness
// support uses) without --experimental-websocket; Node 22+ has it and still accepts the flag.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const [dir, ...nodeArgs] = process.argv.slice(2);
if (!dir) {
  console.error('usage: node run-serial-tests.mjs <folder of compiled *.test.js> [node --test arguments]');
  process.exit(2);
}
const files = readdirSync(dir).filter((f) => f.endsWith('.test.js')).sort().map((f) => join(dir, f));
const major = Number(process.versions.node.split('.')[0]);
const flags = major < 22 ? ['--experimental-websocket'] : [];
const result = spawnSync(process.execPath, [...flags, '--test', '--test-concurrency=1', ...nodeArgs, ...files],
  { stdio: 'inherit' });
process.exit(result.status ?? 1);
