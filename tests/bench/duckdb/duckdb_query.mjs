#!/usr/bin/env node
// Runs one SQL query over a CSV in DuckDB and writes its result as CSV (the
// warehouse test: tests/core/warehouse/check_engines.py). The CSV becomes
// the table TABLE (default: events), its columns typed by DuckDB's sniffer.
//
// Usage: node duckdb_query.mjs EVENTS.csv QUERY.sql RESULT.csv [TABLE]
import { readFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';

const [input, queryFile, output, table = 'events'] = process.argv.slice(2);
if (!output) {
  console.error('usage: node duckdb_query.mjs EVENTS.csv QUERY.sql RESULT.csv');
  process.exit(2);
}
const lit = (s) => `'${String(s).replaceAll("'", "''")}'`;
const ident = (s) => `"${String(s).replaceAll('"', '""')}"`;
const query = readFileSync(queryFile, 'utf8').trim().replace(/;\s*$/, '');
const instance = await DuckDBInstance.create(':memory:', { threads: '2' });
const conn = await instance.connect();
await conn.run(`CREATE TABLE ${ident(table)} AS SELECT * FROM read_csv(${lit(input)}, header = true)`);
await conn.run(`COPY (${query}) TO ${lit(output)} (HEADER, DELIMITER ',')`);
