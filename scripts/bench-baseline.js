'use strict';
/**
 * The bare baseline of `npm run bench` (quality.md, "Performance budgets"): a minimal Fastify server with a `pg`
 * pool that, for each operation, replays the SQL the service sent for the same request (captured by
 * scripts/bench-capture.js), statement by statement on one connection, and answers with the largest result as
 * JSON. No framework, no validation, no token check, no ORM: what the service adds over the database is what the
 * ratios measure.
 *
 * A replay of a write (the intake) cannot repeat the captured values verbatim: it replaces the request's unique
 * token (the subject's kana name) with a fresh one, every id a statement returned with the id it returns now, and
 * the case number with the one drawn now (`case_number_seq`).
 *
 *   BASELINE_PORT, BASELINE_DATABASE_URL, BASELINE_OPS (the JSON file of captured operations), BASELINE_POOL
 */
const { readFileSync } = require('node:fs');
const fastify = require('fastify');
const { Pool } = require('pg');

const ops = JSON.parse(readFileSync(process.env.BASELINE_OPS, 'utf8'));
const pool = new Pool({
  connectionString: process.env.BASELINE_DATABASE_URL,
  max: Number(process.env.BASELINE_POOL || 20),
  options: '-c TimeZone=UTC -c statement_timeout=30000',
});
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const KANA = 'アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワ';
let fresh = 0;
/** A token of the same shape as the bench's (6 katakana), unique per request of this process. */
function freshToken() {
  let n = fresh++ + 1_000_000 * (1 + (process.pid % 40));
  let s = '';
  for (let i = 0; i < 6; i++) {
    s = KANA[n % KANA.length] + s;
    n = Math.floor(n / KANA.length);
  }
  return s;
}
const counters = new Map();

async function replay(variant) {
  const map = new Map();
  if (variant.token) map.set(variant.token, freshToken());
  const substitute = (v) => {
    if (typeof v !== 'string') return v;
    let out = v;
    for (const [from, to] of map) if (out.includes(from)) out = out.split(from).join(to);
    return out;
  };
  const client = await pool.connect();
  let largest = [];
  try {
    for (const s of variant.statements) {
      const values = s.values.map((v) => (v && typeof v === 'object' ? Buffer.from(v.buffer, 'base64') : v));
      const r = await client.query(s.text, values.map(substitute));
      const rows = r.rows || [];
      if (rows.length > largest.length) largest = rows;
      // What this statement returned replaces what it returned when captured, in later statements.
      (s.rows || []).forEach((old, i) => {
        const now = rows[i];
        if (!now) return;
        for (const [k, v] of Object.entries(old)) {
          if (typeof v === 'string' && UUID.test(v) && typeof now[k] === 'string' && now[k] !== v) map.set(v, now[k]);
          if (k === 'case_number_seq') {
            const fy = s.values[0];
            const pad = (n) => String(n).padStart(4, '0');
            map.set(`${fy}-${pad(v)}`, `${fy}-${pad(now[k])}`);
          }
        }
      });
    }
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
  return largest;
}

const app = fastify({ logger: false });
const handle = async (req, reply) => {
  const op = ops[req.params.name];
  if (!op) return reply.code(404).send({ error: 'no such operation' });
  const n = (counters.get(req.params.name) || 0) + 1;
  counters.set(req.params.name, n);
  const rows = await replay(op[n % op.length]);
  return reply.code(op[0].status || 200).send({ items: rows });
};
app.get('/ops/:name', handle);
app.post('/ops/:name', handle);
app.get('/health', async () => ({ ok: true }));
app.listen({ port: Number(process.env.BASELINE_PORT || 3990), host: '127.0.0.1' }).then(
  () => console.log('baseline listening'),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
