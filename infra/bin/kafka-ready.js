#!/usr/bin/env node
// Waits until a Kafka broker answers admin metadata calls (kafkajs describeCluster +
// fetchTopicMetadata). Used by infra/bin/kafka.sh; can be run by hand:
//
//   node infra/bin/kafka-ready.js [--brokers 127.0.0.1:19092] [--timeout 60] [--pid N]
//                                 [--log infra/.data/kafka.log] [--warmup] [--quiet]
//
// --timeout S  give up after S seconds (exit 1). --timeout 0 = a single quick attempt.
// --pid N      fail at once if process N dies while we wait (the broker we just started).
// --log F      on failure print the last 40 lines of F.
// --warmup     once ready, create the internal __consumer_offsets and __transaction_state topics
//              (by asking for a group and a transaction coordinator) so the first test that uses
//              a consumer group or a transaction does not pay for it.
// Exit codes: 0 ready, 1 not ready in time, 2 the watched pid died.
'use strict';

process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';

const fs = require('fs');
const { Kafka, logLevel } = require('kafkajs');

function parseArgs(argv) {
  const out = {
    brokers: process.env.KAFKA_BROKERS || `127.0.0.1:${process.env.KAFKA_PORT || 19092}`,
    timeout: 60,
    pid: null,
    log: null,
    warmup: false,
    quiet: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--brokers') out.brokers = next();
    else if (a === '--timeout') out.timeout = Number(next());
    else if (a === '--pid') out.pid = Number(next());
    else if (a === '--log') out.log = next();
    else if (a === '--warmup') out.warmup = true;
    else if (a === '--quiet') out.quiet = true;
    else throw new Error(`unknown argument ${a}`);
  }
  out.brokers = out.brokers.split(',').map((s) => s.trim()).filter(Boolean);
  return out;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
}

function tail(file, n) {
  try {
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    return lines.slice(-n - 1).join('\n');
  } catch (e) {
    return `(cannot read ${file}: ${e.message})`;
  }
}

// requestTimeout: while a broker starts, its port accepts connections (listen backlog) before it
// processes requests, so a request can hang; poll with a short timeout, but give a single
// status check (--timeout 0) more slack for a broker busy serving a test run.
async function probe(brokers, requestTimeout) {
  const kafka = new Kafka({
    clientId: 'flagpole-infra-ready',
    brokers,
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1000,
    requestTimeout,
    retry: { retries: 0 },
  });
  const admin = kafka.admin({ retry: { retries: 0 } });
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    if (!cluster.brokers || cluster.brokers.length === 0) throw new Error('no brokers in metadata');
    await admin.fetchTopicMetadata({ topics: [] });
    return cluster;
  } finally {
    await admin.disconnect().catch(() => {});
  }
}

async function warmup(brokers) {
  // Normal retries here: a fresh broker answers COORDINATOR_NOT_AVAILABLE while it creates the
  // internal topic, and kafkajs retries that.
  const kafka = new Kafka({
    clientId: 'flagpole-infra-warmup',
    brokers,
    logLevel: logLevel.NOTHING, // the expected COORDINATOR_NOT_AVAILABLE / LOAD_IN_PROGRESS are noise
    retry: { retries: 10, initialRetryTime: 100 },
  });
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.describeGroups(['flagpole-infra-warmup']); // FindCoordinator(GROUP) -> __consumer_offsets
  } finally {
    await admin.disconnect().catch(() => {});
  }
  const producer = kafka.producer({
    transactionalId: 'flagpole-infra-warmup',
    idempotent: true,
    maxInFlightRequests: 1,
  });
  await producer.connect(); // InitProducerId via FindCoordinator(TRANSACTION) -> __transaction_state
  await producer.disconnect();
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const started = Date.now();
  const deadline = started + Math.max(0, opts.timeout) * 1000;
  let lastErr = null;
  let attempt = 0;
  for (;;) {
    attempt++;
    if (opts.pid && !alive(opts.pid)) {
      console.error(`kafka-ready: broker process ${opts.pid} exited before it became ready.`);
      if (opts.log) console.error(`--- last lines of ${opts.log} ---\n${tail(opts.log, 40)}`);
      process.exit(2);
    }
    try {
      const cluster = await probe(opts.brokers, opts.timeout === 0 ? 5000 : 1500);
      const secs = ((Date.now() - started) / 1000).toFixed(1);
      if (opts.warmup) {
        const w0 = Date.now();
        await warmup(opts.brokers);
        if (!opts.quiet) console.log(`kafka-ready: internal topics warmed up in ${((Date.now() - w0) / 1000).toFixed(1)}s`);
      }
      if (!opts.quiet) {
        console.log(
          `kafka-ready: ${opts.brokers.join(',')} ready after ${secs}s ` +
            `(cluster ${cluster.clusterId}, controller ${cluster.controller}, ` +
            `brokers ${cluster.brokers.map((b) => `${b.nodeId}@${b.host}:${b.port}`).join(',')})`,
        );
      }
      process.exit(0);
    } catch (e) {
      lastErr = e;
    }
    if (Date.now() >= deadline) break;
    await sleep(Math.min(500, Math.max(0, deadline - Date.now())));
  }
  console.error(
    `kafka-ready: ${opts.brokers.join(',')} not ready after ${opts.timeout}s (${attempt} attempts); ` +
      `last error: ${lastErr && (lastErr.stack || lastErr.message)}`,
  );
  if (opts.log) console.error(`--- last lines of ${opts.log} ---\n${tail(opts.log, 40)}`);
  process.exit(1);
}

main().catch((e) => {
  console.error(`kafka-ready: ${e.stack || e}`);
  process.exit(1);
});
