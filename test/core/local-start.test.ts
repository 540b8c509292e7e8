import { chmodSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { embeddedNativeDir, portAnswers, startCluster } from '../../src/core/local/embedded-cluster';
import { checkoutDefaults } from '../../src/core/local/local-environment';

/**
 * Issue 12, part 3: `npm start` from a clone in a private directory (mode
 * 700: /root, `mktemp -d`) as root. The cluster runs as the postgres user,
 * who cannot enter such a directory; it must start anyway, leave no secret
 * in the system temporary directory, and two checkouts must not meet.
 * .ci/run also starts a real clone from a `mktemp -d` directory.
 */

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

/** Files directly in the system temporary directory that hold this text. */
const tmpFilesHolding = (text: string) =>
  readdirSync(tmpdir()).filter((name) => {
    const path = join(tmpdir(), name);
    try {
      return statSync(path).isFile() && readFileSync(path, 'utf8').includes(text);
    } catch {
      return false;
    }
  });

const asRoot = process.getuid?.() === 0 ? describe : describe.skip;

asRoot('the embedded cluster, started as root from a private directory', () => {
  let privateDir: string;
  let fallbackDir: string;
  const password = `pw-${Math.random().toString(36).slice(2)}-${Date.now()}`;

  beforeAll(() => {
    // A clone under a mode-700 directory: its binaries and its .data are out of the postgres user's reach.
    privateDir = mkdtempSync(join(tmpdir(), 'tsunagu-private-'));
    chmodSync(privateDir, 0o700);
    fallbackDir = join(mkdtempSync(join(tmpdir(), 'tsunagu-cluster-')), 'checkout');
    chmodSync(join(fallbackDir, '..'), 0o755);
  });

  afterAll(() => {
    rmSync(privateDir, { recursive: true, force: true });
    rmSync(join(fallbackDir, '..'), { recursive: true, force: true });
  });

  it('initialises and starts the cluster where the postgres user can reach it, and stops it', async () => {
    const nativeDir = join(privateDir, 'checkout', 'node_modules', 'native');
    cpSync(embeddedNativeDir(), nativeDir, { recursive: true, verbatimSymlinks: true });
    const dataDir = join(privateDir, 'checkout', '.data');
    const port = await freePort();

    const cluster = await startCluster({ dataDir, port, password, nativeDir, fallbackDir });
    try {
      expect(cluster.relocated).toContain(dataDir);
      expect(cluster.pgdata).toBe(join(fallbackDir, 'postgres'));
      expect(cluster.binDir).toBe(join(fallbackDir, 'native', 'bin'));
      expect(readFileSync(join(dataDir, 'postgres-location'), 'utf8').trim()).toBe(fallbackDir);
      // The data directory is the postgres user's alone; the password file initdb read is gone.
      expect(statSync(cluster.pgdata).mode & 0o777).toBe(0o700);
      expect(existsSync(`${cluster.pgdata}.init`)).toBe(false);

      const client = new Client({ host: '127.0.0.1', port, user: 'postgres', password, database: 'postgres' });
      await client.connect();
      const { rows } = await client.query<{ user: string }>('SELECT current_user AS user');
      await client.end();
      expect(rows).toEqual([{ user: 'postgres' }]);

      // A wrong password is refused: the cluster is not open to anyone on the machine.
      const stranger = new Client({
        host: '127.0.0.1',
        port,
        user: 'postgres',
        password: 'wrong',
        database: 'postgres',
      });
      await expect(stranger.connect()).rejects.toThrow(/password authentication failed/);
      await stranger.end().catch(() => undefined);
    } finally {
      await cluster.stop();
    }
    expect(await portAnswers(port)).toBe(false);
    expect(tmpFilesHolding(password)).toEqual([]);
  }, 120_000);

  it('starts again on the same data, and says so when its port is taken', async () => {
    const nativeDir = join(privateDir, 'checkout', 'node_modules', 'native');
    const dataDir = join(privateDir, 'checkout', '.data');
    const port = await freePort();
    const cluster = await startCluster({ dataDir, port, password, nativeDir, fallbackDir });
    try {
      const again = startCluster({ dataDir, port, password, nativeDir, fallbackDir });
      await expect(again).rejects.toThrow(`Port ${port} is in use`);
    } finally {
      await cluster.stop();
    }
  }, 120_000);
});

describe('two checkouts on one machine', () => {
  it('get their own Redis prefix and ports, stable for each checkout', () => {
    const base = mkdtempSync(join(tmpdir(), 'tsunagu-checkouts-'));
    try {
      const one = checkoutDefaults(join(base, 'one', '.data'));
      const two = checkoutDefaults(join(base, 'two', '.data'));
      expect(one).toEqual(checkoutDefaults(join(base, 'one', '.data')));
      expect(two.redisPrefix).not.toBe(one.redisPrefix);
      expect(two.id).not.toBe(one.id);
      expect(one.redisPrefix).toMatch(/^tsunagu-[0-9a-f]{8}$/);
      for (const d of [one, two]) {
        expect(d.pgPort).toBeGreaterThanOrEqual(54330);
        expect(d.pgPort).toBeLessThan(55330);
        expect(d.redisPort).toBe(d.pgPort + 2000);
      }
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  });
});
