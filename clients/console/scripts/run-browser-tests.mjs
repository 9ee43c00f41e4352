// Runs the compiled browser tests (build-browser/browser/*.test.js) one file at a time: they share the real services
// (one restarts the gateway) and each launches its own headless Chromium.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const dir = join('build-browser', 'browser');
const files = readdirSync(dir).filter((f) => f.endsWith('.test.js')).sort().map((f) => join(dir, f));
const result = spawnSync(process.execPath, ['--test', '--test-concurrency=1', ...process.argv.slice(2), ...files],
  { stdio: 'inherit' });
process.exit(result.status ?? 1);
