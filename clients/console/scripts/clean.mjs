// Removes build output folders (portable `rm -rf`), so a rename never leaves stale files in dist/.
import { rmSync } from 'node:fs';
const dirs = process.argv.slice(2);
for (const dir of dirs.length ? dirs : ['dist', 'build-test']) rmSync(new URL(`../${dir}`, import.meta.url), { recursive: true, force: true });
