#!/usr/bin/env node
// Ensures the database named in DATABASE_URL exists (creates it if missing). Idempotent.
//   node infra/bin/pg-ensure.js [--check]   (--check: only test that the server accepts connections)
// Connects to the "postgres" maintenance database of the same server with the same credentials.
'use strict';

const { Client } = require('pg');

const DEFAULT_URL = 'postgres://postgres@127.0.0.1:5432/flagpole';

function maintenanceUrl(u) {
  const m = new URL(u.toString());
  m.pathname = '/postgres';
  return m.toString();
}

async function main() {
  const checkOnly = process.argv.includes('--check');
  const url = new URL(process.env.DATABASE_URL || DEFAULT_URL);
  const dbName = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!dbName) throw new Error(`DATABASE_URL has no database name: ${url}`);

  const client = new Client({ connectionString: maintenanceUrl(url), connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    if (checkOnly) {
      await client.query('SELECT 1');
      return;
    }
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [dbName]);
    if (rowCount > 0) {
      console.log(`postgres: database "${dbName}" exists`);
      return;
    }
    const ident = '"' + dbName.replace(/"/g, '""') + '"';
    try {
      await client.query(`CREATE DATABASE ${ident}`);
      console.log(`postgres: created database "${dbName}"`);
    } catch (e) {
      // 42P04 duplicate_database: someone else created it concurrently; 23505 same race on pg_database
      if (e.code === '42P04' || e.code === '23505') console.log(`postgres: database "${dbName}" exists`);
      else throw e;
    }
  } finally {
    await client.end().catch(() => {});
  }
}

main().catch((e) => {
  console.error(`postgres: ${e.message}`);
  process.exit(1);
});
