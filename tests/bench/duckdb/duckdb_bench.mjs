#!/usr/bin/env node
// DuckDB peer benchmark: one pass over an exposure CSV computing, per user,
// the first exposure (min timestamp) and the variant/browser of that exposure,
// then distinct users per variant, per (variant, browser) and per
// (variant, UTC day of first exposure).
//
// Usage: node duckdb_bench.mjs FILE.csv
// CSV header: timestamp,user_id,variant,browser,os,country,sdk_version
// Prints one JSON object on stdout.
import { performance } from 'node:perf_hooks';
import { DuckDBInstance, version } from '@duckdb/node-api';

const path = process.argv[2];
if (!path) {
  console.error('usage: node duckdb_bench.mjs FILE.csv');
  process.exit(2);
}

const THREADS = 2;
const sqlStr = (s) => `'${String(s).replaceAll("'", "''")}'`;
const num = (x) => (typeof x === 'bigint' ? Number(x) : x);

const instance = await DuckDBInstance.create(':memory:', { threads: String(THREADS) });
const conn = await instance.connect();
await conn.run(`SET threads = ${THREADS}`);

const t0 = performance.now();

// Timestamps are ISO 8601 UTC ('...Z'); typed as TIMESTAMP they are stored as
// UTC wall-clock values, so t::DATE is the UTC date independent of TimeZone.
// variant and browser are taken from the same (first) row via one arg_min on a
// struct, so ties on the minimum timestamp cannot mix rows.
await conn.run(`
  CREATE TEMP TABLE u AS
  SELECT user_id,
         min("timestamp") AS t,
         arg_min({'v': variant, 'b': browser}, "timestamp") AS vb
  FROM read_csv(${sqlStr(path)},
    header = true,
    auto_detect = false,
    delim = ',',
    quote = '"',
    columns = {
      'timestamp': 'TIMESTAMP',
      'user_id': 'VARCHAR',
      'variant': 'VARCHAR',
      'browser': 'VARCHAR',
      'os': 'VARCHAR',
      'country': 'VARCHAR',
      'sdk_version': 'VARCHAR'
    })
  GROUP BY user_id
`);

const perVariantRows = (await conn.runAndReadAll(
  `SELECT vb.v AS v, count(*) AS n FROM u GROUP BY ALL ORDER BY ALL`)).getRows();
const perBrowserRows = (await conn.runAndReadAll(
  `SELECT vb.v AS v, vb.b AS b, count(*) AS n FROM u GROUP BY ALL ORDER BY ALL`)).getRows();
const perDayRows = (await conn.runAndReadAll(
  `SELECT vb.v AS v, strftime(t::DATE, '%Y-%m-%d') AS d, count(*) AS n
   FROM u GROUP BY ALL ORDER BY ALL`)).getRows();

const per_variant = {};
let units = 0;
for (const [v, n] of perVariantRows) {
  per_variant[v] = num(n);
  units += num(n);
}
const per_browser = {};
for (const [v, b, n] of perBrowserRows) per_browser[`${v}|${b}`] = num(n);
const per_day = {};
for (const [v, d, n] of perDayRows) per_day[`${v}|${d}`] = num(n);

const seconds = (performance.now() - t0) / 1000;

conn.closeSync();

process.stdout.write(JSON.stringify({
  engine: 'duckdb',
  version: version(),
  threads: THREADS,
  seconds,
  units,
  per_variant,
  per_browser,
  per_day,
}) + '\n');
