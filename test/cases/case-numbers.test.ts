import { DataSource, QueryRunner } from 'typeorm';
import { nextCaseNumber } from '../../src/cases/case-numbers';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Case numbers must not serialize intakes (issue 16): an intake that has drawn
 * its number and is still working must not hold the next one back. The gap
 * rule that follows (README, "Case numbers"): a number drawn by an intake that
 * then fails is not given again, so a fiscal year's numbers are unique and
 * increasing but may skip.
 */
describe('case numbers', () => {
  let t: TestApp;
  let db: DataSource;
  const at = new Date('2030-06-01T10:00:00+09:00');
  beforeAll(async () => {
    t = await startTestApp();
    db = t.app.get(DataSource);
    // The year's first number creates its sequence (under a lock, test 3); the tests below are about later ones.
    await db.transaction((m) => nextCaseNumber(m, at, 'Asia/Tokyo'));
  });
  afterAll(async () => t?.close());

  async function begin(): Promise<QueryRunner> {
    const runner = db.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    // Waiting on a lock for a second is waiting on another intake: fail instead of hanging the test.
    await runner.query(`SET LOCAL lock_timeout = '1s'`);
    return runner;
  }

  it('draws a number while another intake that drew one is still open', async () => {
    const first = await begin();
    const second = await begin();
    try {
      const a = await nextCaseNumber(first.manager, at, 'Asia/Tokyo');
      const b = await nextCaseNumber(second.manager, at, 'Asia/Tokyo');
      expect(a.fiscalYear).toBe(2030);
      expect(b.fiscalYear).toBe(2030);
      expect(b.number).not.toBe(a.number);
      await second.commitTransaction();
      await first.commitTransaction();
    } finally {
      for (const r of [first, second]) {
        if (r.isTransactionActive) await r.rollbackTransaction();
        await r.release();
      }
    }
  });

  it('does not give a rolled-back intake its number again (numbers may skip, never repeat)', async () => {
    const failed = await begin();
    let lost: string;
    try {
      lost = (await nextCaseNumber(failed.manager, at, 'Asia/Tokyo')).number;
      await failed.rollbackTransaction();
    } finally {
      await failed.release();
    }
    const next = await db.transaction((m) => nextCaseNumber(m, at, 'Asia/Tokyo'));
    expect(next.number > lost).toBe(true);
  });

  it('starts the first fiscal year of its kind at 0001 even when two intakes open it at once', async () => {
    const first = await begin();
    const second = db.createQueryRunner();
    await second.connect();
    await second.startTransaction();
    try {
      const april = new Date('2031-04-01T09:00:00+09:00');
      const a = await nextCaseNumber(first.manager, april, 'Asia/Tokyo');
      const pending = nextCaseNumber(second.manager, april, 'Asia/Tokyo');
      await first.commitTransaction();
      const b = await pending;
      await second.commitTransaction();
      expect([a.number, b.number].sort()).toEqual(['2031-0001', '2031-0002']);
    } finally {
      await first.release();
      await second.release();
    }
  });
});
