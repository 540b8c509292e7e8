// `npm start` builds first when dist/ is missing or older than the sources,
// so a fresh clone needs only `npm ci && npm start`.
const { execSync } = require('node:child_process');
const { existsSync, readdirSync, statSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

const marker = join(__dirname, '..', 'dist', '.build-stamp');
const sources = ['src', 'migrations', 'scripts'].map((d) => join(__dirname, '..', d)).filter(existsSync);
const stale = !existsSync(marker) || Math.max(...sources.map(newest)) > statSync(marker).mtimeMs;
if (stale) {
  console.log('Building Tsunagu (first start or changed sources)...');
  execSync('npx nest build', { stdio: 'inherit', cwd: join(__dirname, '..') });
  writeFileSync(marker, new Date().toISOString());
}
