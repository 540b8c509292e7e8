import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestApp } from '../support/test-app';

/** Issue 12, part 5: the worker container's healthcheck reads a heartbeat file (the worker serves no HTTP). */
describe('worker heartbeat file', () => {
  it('is written once the worker runs and Redis answers, with the time', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsunagu-worker-health-'));
    const file = join(dir, 'alive');
    const before = Date.now();
    const t = await startTestApp({ WORKER_MODE: 'embedded', WORKER_HEALTH_FILE: file });
    try {
      for (let i = 0; i < 150 && !existsSync(file); i += 1) await new Promise((r) => setTimeout(r, 100));
      const written = Date.parse(readFileSync(file, 'utf8').trim());
      expect(written).toBeGreaterThanOrEqual(before - 1000);
      expect(written).toBeLessThanOrEqual(Date.now());
    } finally {
      await t.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
