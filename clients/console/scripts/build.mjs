// The console's build: tsc (src/ → build/app/), then dist/ = static/ (index.html, CSS, icon) + the compiled modules +
// @tocsin/client's built dist/ under vendor/. The bare specifier '@tocsin/client' is rewritten to the vendored file,
// because an import map would be an inline script, which the console's Content-Security-Policy forbids.
// alert-ingest packages dist/ at META-INF/resources/console/ (alert-ingest/pom.xml).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const client = join(root, 'node_modules', '@tocsin', 'client', 'dist');
if (!existsSync(join(client, 'index.js'))) {
  console.error(`@tocsin/client is not built (${client} has no index.js): run \`npm ci && npm run build\` in `
    + 'clients/typescript first (the Maven build does, in module order)');
  process.exit(1);
}
rmSync(join(root, 'build'), { recursive: true, force: true });
const tsc = spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.json')],
  { stdio: 'inherit' });
if (tsc.status !== 0) process.exit(tsc.status ?? 1);

const dist = join(root, 'dist');
rmSync(dist, { recursive: true, force: true });
mkdirSync(join(dist, 'vendor', 'tocsin-client'), { recursive: true });
cpSync(join(root, 'static'), dist, { recursive: true });
const stripMap = (text) => text.replace(/^\/\/# sourceMappingURL=.*$/m, '');
for (const file of readdirSync(join(root, 'build', 'app')).filter((f) => f.endsWith('.js'))) {
  const text = readFileSync(join(root, 'build', 'app', file), 'utf8')
    .replaceAll(/from '@tocsin\/client'/g, "from './vendor/tocsin-client/index.js'");
  if (text.includes('@tocsin/client\'')) throw new Error(`${file}: an import of @tocsin/client was not rewritten`);
  writeFileSync(join(dist, file), stripMap(text));
}
for (const file of readdirSync(client).filter((f) => f.endsWith('.js'))) {
  writeFileSync(join(dist, 'vendor', 'tocsin-client', file), stripMap(readFileSync(join(client, file), 'utf8')));
}
console.log(`console built: ${dist}`);
