// `npm start` builds first when a build is missing or older than its sources,
// so a fresh clone needs only `npm ci && npm start`: the server (dist/) and
// the web console (web/dist/). `--server` or `--web` builds only that one.
const { execSync } = require('node:child_process');
const { existsSync, readdirSync, statSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const only = process.argv.find((a) => a === '--server' || a === '--web');

function newest(path) {
  if (!statSync(path).isDirectory()) return statSync(path).mtimeMs;
  let latest = 0;
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    latest = Math.max(latest, newest(join(path, entry.name)));
  }
  return latest;
}

function stale(marker, sources) {
  const present = sources.map((s) => join(root, s)).filter(existsSync);
  if (present.length === 0) return false; // a production image carries the build, not its sources
  return !existsSync(marker) || Math.max(...present.map(newest)) > statSync(marker).mtimeMs;
}

const serverStamp = join(root, 'dist', '.build-stamp');
if (only !== '--web' && stale(serverStamp, ['src', 'migrations', 'scripts'])) {
  console.log('Building Tsunagu (first start or changed sources)...');
  execSync('npx nest build', { stdio: 'inherit', cwd: root });
  writeFileSync(serverStamp, new Date().toISOString());
}

const webStamp = join(root, 'web', 'dist', 'index.html');
if (only !== '--server' && stale(webStamp, ['web/src', 'web/index.html', 'web/vite.config.mts'])) {
  console.log('Building the web console (first start or changed sources)...');
  execSync('npm run web:build', { stdio: 'inherit', cwd: root });
}
