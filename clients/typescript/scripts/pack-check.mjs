// Tests the published shape: `npm pack`, install the tarball into a fresh temp project, import it from Node, and
// compile a tiny TypeScript consumer against its .d.ts (tsc --noEmit), so `exports`/`files`/types are what users get.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const pkgDir = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const run = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });

const work = mkdtempSync(join(tmpdir(), 'tocsin-pack-'));
try {
  const packed = JSON.parse(run(npm, ['pack', '--json', '--ignore-scripts', '--pack-destination', work], pkgDir));
  const files = packed[0].files.map((f) => f.path);
  const stray = files.filter((f) => !f.startsWith('dist/') && !['package.json', 'README.md'].includes(f));
  if (stray.length) throw new Error(`unexpected files in the tarball: ${stray.join(', ')}`);
  if (!files.includes('dist/index.js') || !files.includes('dist/index.d.ts')) throw new Error('dist/index.{js,d.ts} missing');
  const tarball = join(work, packed[0].filename);

  const consumer = join(work, 'consumer');
  mkdirSync(consumer);
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  run(npm, ['install', '--no-audit', '--no-fund', '--ignore-scripts', tarball], consumer);
  const installed = JSON.parse(run(npm, ['ls', '--json', '--omit=dev'], consumer));
  if (Object.keys(installed.dependencies ?? {}).length !== 1) throw new Error('the package pulled in runtime dependencies');

  writeFileSync(join(consumer, 'check.mjs'), `
import { TocsinClient, AlertStore, TocsinError, HandshakeRefusedError, SERVER_FRAME_TYPES } from '@tocsin/client';
const client = new TocsinClient({ gatewayUrl: 'ws://localhost:1/ws/alerts', token: 't' });
if (!(client.alerts instanceof AlertStore) || client.state !== 'idle') throw new Error('bad client');
if (!(new HandshakeRefusedError(401) instanceof TocsinError)) throw new Error('bad errors');
if (SERVER_FRAME_TYPES.length !== 19) throw new Error('bad protocol table');
console.log('pack:check import ok');
`);
  process.stdout.write(run(process.execPath, ['check.mjs'], consumer));

  writeFileSync(join(consumer, 'check.ts'), `
import { TocsinClient, type AlertEntry, type TocsinEvents, type ServerFrame, ActionFailedError } from '@tocsin/client';
const client = new TocsinClient({ gatewayUrl: 'ws://x/ws/alerts', apiUrl: 'http://x', token: async () => 't',
  WebSocket: globalThis.WebSocket, fetch: globalThis.fetch, groups: ['ops'], filters: { priorities: ['critical'] } });
const off: () => void = client.on('alert', (e: TocsinEvents['alert']) => console.log(e.alert.title, e.seq));
client.on('stopped', (e) => console.log(e.error?.code));
const rows: AlertEntry[] = client.alerts.list({ includeAcknowledged: false });
const frame: ServerFrame = { type: 'pong', v: 1, serverTime: 'x' };
void client.ack('a').then((r) => r.acknowledgedBy.toUpperCase()).catch((e: unknown) => e instanceof ActionFailedError && e.code);
// @ts-expect-error unknown events are a type error
client.on('nope', () => undefined);
export { off, rows, frame };
`);
  writeFileSync(join(consumer, 'tsconfig.json'), JSON.stringify({
    compilerOptions: { strict: true, module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022',
      lib: ['ES2022', 'DOM'], types: [], noEmit: true, skipLibCheck: false },
    files: ['check.ts'],
  }));
  run(process.execPath, [join(pkgDir, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], consumer);
  console.log(`pack:check types ok (${files.length} files in ${packed[0].filename})`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
