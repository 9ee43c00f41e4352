// Runs `npm ci` only when node_modules is missing or package-lock.json changed since the last install here (its hash
// is kept in node_modules/.tocsin-lock-hash). Shared by the Maven builds of both packages (clients/typescript/pom.xml,
// clients/console/pom.xml; run in the package's folder), so repeated `./mvnw verify` runs do not reinstall; `npm ci`
// by hand always works too.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

// The package is the working directory (Maven runs it in the module's folder).
const root = process.cwd();
const lock = readFileSync(join(root, 'package-lock.json'));
const hash = createHash('sha256').update(lock).digest('hex');
const marker = join(root, 'node_modules', '.tocsin-lock-hash');

if (existsSync(marker) && readFileSync(marker, 'utf8').trim() === hash) {
  console.log('node_modules is up to date with package-lock.json: npm ci skipped');
  process.exit(0);
}
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const result = spawnSync(npm, ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
if (result.status !== 0) {
  console.error(`npm ci failed (${result.error ?? 'exit ' + result.status})`);
  process.exit(result.status ?? 1);
}
writeFileSync(marker, hash + '\n');
