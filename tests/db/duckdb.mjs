// duckdb.mjs FILE.sql...: run SQL in a fresh in-memory DuckDB, for the
// CTest cases labelled `db`.  Every statement of every file runs in order;
// the rows of the last statement are printed, one line each, values joined
// by '|' (NULL as empty, numbers as JavaScript writes them: the shortest
// text that reads back as the same double).  An error is printed on stderr
// and exits 1.  @duckdb/node-api is found under $VITALS_DUCKDB_MODULES
// (the build tree's copy, installed by the db_duckdb_install test).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const modules = process.env.VITALS_DUCKDB_MODULES;
if (!modules) {
  console.error('duckdb.mjs: VITALS_DUCKDB_MODULES is not set');
  process.exit(2);
}
const require = createRequire(modules + '/');
const { DuckDBInstance } = require('@duckdb/node-api');

try {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const sql = process.argv.slice(2).map((file) => readFileSync(file, 'utf8')).join('\n');
  // One statement at a time: given several, run() answers with the rows of
  // the first query, not the last.
  const statements = await connection.extractStatements(sql);
  let rows = [];
  for (let i = 0; i < statements.count; i++) {
    const prepared = await statements.prepare(i);
    rows = (await prepared.runAndReadAll()).getRows();
  }
  for (const row of rows)
    console.log(row.map((value) => (value === null ? '' : String(value))).join('|'));
} catch (error) {
  console.error('duckdb: ' + String(error.message).split('\n')[0]);
  process.exit(1);
}
