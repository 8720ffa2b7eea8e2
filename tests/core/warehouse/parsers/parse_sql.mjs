#!/usr/bin/env node
// Parses SQL files with a parser of their dialect; prints one line per file
// ("ok FILE PARSER" or "error FILE PARSER: message") and exits 1 when any
// file does not parse. The dialect is the file name's second-last part
// (query.bigquery.sql).
//
// Usage: node --import ./register.mjs parse_sql.mjs [--antlr-only] FILE.ENGINE.sql...
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import sqlParser from 'node-sql-parser';
import { SparkSQL, TrinoSQL } from 'dt-sql-parser';

// node-sql-parser (PEG grammars) by its database name; dt-sql-parser (ANTLR 4 grammars) by class.
const byEngine = {
  bigquery: [['node-sql-parser BigQuery', (sql) => peg(sql, 'BigQuery')]],
  snowflake: [['node-sql-parser Snowflake', (sql) => peg(sql, 'Snowflake')]],
  redshift: [['node-sql-parser Redshift', (sql) => peg(sql, 'Redshift')]],
  trino: [['node-sql-parser Trino', (sql) => peg(sql, 'Trino')], ['dt-sql-parser TrinoSQL', (sql) => antlr(sql, TrinoSQL)]],
  databricks: [['dt-sql-parser SparkSQL', (sql) => antlr(sql, SparkSQL)]],
  postgresql: [['node-sql-parser PostgreSQL', (sql) => peg(sql, 'PostgreSQL')]],
};

const peg = (sql, database) => {
  new sqlParser.Parser().astify(sql, { database });
};
const antlr = (sql, Dialect) => {
  const errors = new Dialect().validate(sql);
  if (errors.length) throw new Error(`line ${errors[0].startLine}: ${errors[0].message}`);
};

// --antlr-only: only the ANTLR grammars, which know the identifiers' escapes.
const args = process.argv.slice(2);
const antlrOnly = args[0] === '--antlr-only';
let failed = false;
for (const file of antlrOnly ? args.slice(1) : args) {
  const engine = basename(file).split('.').slice(-2, -1)[0];
  const parsers = (byEngine[engine] || []).filter(([name]) => !antlrOnly || name.startsWith('dt-sql-parser'));
  if (!parsers.length) {
    console.log(`error ${file}: no parser for '${engine}'`);
    failed = true;
    continue;
  }
  const sql = readFileSync(file, 'utf8');
  for (const [name, parse] of parsers) {
    try {
      parse(sql);
      console.log(`ok ${file} ${name}`);
    } catch (e) {
      console.log(`error ${file} ${name}: ${String(e.message).split('\n')[0].slice(0, 300)}`);
      failed = true;
    }
  }
}
process.exit(failed ? 1 : 0);
