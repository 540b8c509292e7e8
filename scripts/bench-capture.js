'use strict';
/**
 * Preloaded into the service (`node -r ./scripts/bench-capture.js`) by `npm run bench` for one short capture run,
 * never in production and never while measuring: records every SQL statement a request marked with the
 * `x-bench-capture` header sends to PostgreSQL, with its parameters as `pg` sends them and the rows it got back,
 * so that the bare baseline (scripts/bench-baseline.js) can replay exactly the same SQL. A request is followed
 * through its async work with AsyncLocalStorage, so background jobs running meanwhile are not recorded.
 */
const { AsyncLocalStorage } = require('node:async_hooks');
const { appendFileSync } = require('node:fs');
const http = require('node:http');
const pg = require('pg');
const { prepareValue } = require('pg/lib/utils');

const file = process.env.BENCH_CAPTURE_FILE;
if (!file) throw new Error('bench-capture: BENCH_CAPTURE_FILE is not set');
const requests = new AsyncLocalStorage();
let order = 0;

const emit = http.Server.prototype.emit;
http.Server.prototype.emit = function (event, req) {
  const id = event === 'request' ? req.headers['x-bench-capture'] : undefined;
  if (id) return requests.run({ id: String(id) }, () => emit.apply(this, arguments));
  return emit.apply(this, arguments);
};

const query = pg.Client.prototype.query;
pg.Client.prototype.query = function (config, values) {
  const request = requests.getStore();
  const result = query.apply(this, arguments);
  if (!request || typeof config === 'function') return result;
  const text = typeof config === 'string' ? config : config && config.text;
  const params = Array.isArray(values) ? values : config && config.values;
  const entry = {
    id: request.id,
    order: order++,
    text,
    values: (params || []).map((v) => {
      const p = prepareValue(v);
      return Buffer.isBuffer(p) ? { buffer: p.toString('base64') } : p;
    }),
  };
  const write = (rows, error) =>
    appendFileSync(file, JSON.stringify({ ...entry, rows: rows ? rows.slice(0, 200) : [], error }) + '\n');
  if (result && typeof result.then === 'function') {
    result.then(
      (r) => write(r && r.rows, undefined),
      (e) => write(undefined, String(e && e.message)),
    );
  } else {
    write(undefined, undefined);
  }
  return result;
};
