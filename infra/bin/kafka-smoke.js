#!/usr/bin/env node
// Smoke test: kafkajs (the version in node_modules) against the local broker.
// Rerunnable; uses unique topic / group / transactional ids and deletes its topics at the end.
//
//   node infra/bin/kafka-smoke.js [--brokers 127.0.0.1:19092] [--keep] [--verbose]
//
// What it checks (each prints PASS/FAIL; the last line is "N passed, N failed"; exit 1 on failure):
//   - which API versions the broker offers vs. which ones kafkajs can use (KIP-896 removed old ones)
//   - admin.createTopics with explicit configs (compact topic + retention.ms=-1 topic),
//     createTopics on an existing topic, describeConfigs (topic + broker), fetchTopicOffsets
//   - auto.create.topics.enable=false: producing to a missing topic fails
//   - transactional producer (transactionalId, idempotent, maxInFlightRequests 1) writing to BOTH
//     topics in one committed transaction, an aborted transaction, sendBatch across topics,
//     sendOffsets (exactly-once consume-transform-produce), admin.fetchOffsets
//   - fetchTopicOffsets while a transaction is open (kafkajs admin reads the LSO, not the HW)
//   - fencing: a second producer with the same transactionalId fences the first (only once it
//     calls transaction(): kafkajs' connect() does not claim the transactionalId)
//   - read_committed consumer sees only committed records; read_uncommitted sees the aborted ones
//   - every API/version kafkajs actually sent during the run
'use strict';

process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';

const net = require('net');
const { Kafka, logLevel } = require('kafkajs');

const args = process.argv.slice(2);
const argVal = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : dflt;
};
const BROKERS = argVal('--brokers', process.env.KAFKA_BROKERS || `127.0.0.1:${process.env.KAFKA_PORT || 19092}`)
  .split(',')
  .map((s) => s.trim());
const KEEP = args.includes('--keep');
const VERBOSE = args.includes('--verbose');

const RUN = `${Date.now().toString(36)}-${process.pid}`;
const TOPIC_COMPACT = `smoke.compact.${RUN}`;
const TOPIC_RETAIN = `smoke.retain.${RUN}`;
const TX_ID = `smoke-tx-${RUN}`;
const GROUP_RC = `smoke-rc-${RUN}`;
const GROUP_RU = `smoke-ru-${RUN}`;
const GROUP_EOS = `smoke-eos-${RUN}`;

const results = [];
const notes = [];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const t = () => Date.now();

async function check(name, fn) {
  const t0 = t();
  try {
    const detail = await fn();
    results.push({ name, ok: true });
    console.log(`PASS ${name}${detail ? ` — ${detail}` : ''} (${t() - t0} ms)`);
  } catch (e) {
    results.push({ name, ok: false });
    console.log(`FAIL ${name} — ${e && e.stack ? e.stack.split('\n').slice(0, 3).join(' | ') : e} (${t() - t0} ms)`);
  }
}
function assert(cond, msg) {
  if (!cond) throw new Error(msg);
}
function describeErr(e) {
  if (!e) return 'no error';
  const parts = [e.name];
  if (e.type) parts.push(`type=${e.type}`);
  if (e.code !== undefined) parts.push(`code=${e.code}`);
  if (e.retriable !== undefined) parts.push(`retriable=${e.retriable}`);
  parts.push(`"${e.message}"`);
  return parts.join(' ');
}

// ---- raw ApiVersions v0 (what the broker offers; kafkajs does not expose it) -------------------
function brokerApiVersions(hostPort) {
  const [host, port] = hostPort.split(':');
  return new Promise((resolve, reject) => {
    const clientId = Buffer.from('flagpole-smoke');
    const body = Buffer.alloc(2 + 2 + 4 + 2 + clientId.length);
    let o = 0;
    o = body.writeInt16BE(18, o); // ApiVersions
    o = body.writeInt16BE(0, o); // v0
    o = body.writeInt32BE(1, o); // correlation id
    o = body.writeInt16BE(clientId.length, o);
    clientId.copy(body, o);
    const size = Buffer.alloc(4);
    size.writeInt32BE(body.length);
    const sock = net.connect(Number(port), host);
    let buf = Buffer.alloc(0);
    sock.setTimeout(5000, () => {
      sock.destroy();
      reject(new Error('ApiVersions timeout'));
    });
    sock.on('error', reject);
    sock.on('connect', () => sock.write(Buffer.concat([size, body])));
    sock.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      if (buf.length < 4 || buf.length < 4 + buf.readInt32BE(0)) return;
      sock.end();
      let p = 4 + 4; // size, correlation id
      const err = buf.readInt16BE(p);
      p += 2;
      if (err !== 0) return reject(new Error(`ApiVersions error ${err}`));
      const n = buf.readInt32BE(p);
      p += 4;
      const out = new Map();
      for (let i = 0; i < n; i++) {
        out.set(buf.readInt16BE(p), { min: buf.readInt16BE(p + 2), max: buf.readInt16BE(p + 4) });
        p += 6;
      }
      resolve(out);
    });
  });
}

function kafkajsRequestTable() {
  try {
    const apiKeys = require('kafkajs/src/protocol/requests/apiKeys');
    const { requests } = require('kafkajs/src/protocol/requests');
    const out = [];
    for (const [name, key] of Object.entries(apiKeys)) {
      const def = requests[name];
      const versions = def && def.versions ? def.versions.map(Number) : [];
      if (versions.length) out.push({ name, key, min: Math.min(...versions), max: Math.max(...versions) });
    }
    return out;
  } catch (e) {
    return null;
  }
}

// ---- instrumentation: which API versions did kafkajs send? -----------------------------------
const sent = new Map(); // "Name vN" -> count
function instrument(client) {
  client.on(client.events.REQUEST, (e) => {
    const k = `${e.payload.apiName} v${e.payload.apiVersion}`;
    sent.set(k, (sent.get(k) || 0) + 1);
  });
  return client;
}

async function consumeAll({ groupId, readUncommitted, topics, expectValues, timeoutMs = 30000, settleMs = 1500 }) {
  const consumer = instrument(
    kafka.consumer({ groupId, readUncommitted, sessionTimeout: 10000, heartbeatInterval: 1000, maxWaitTimeInMs: 200 }),
  );
  const got = [];
  const t0 = t();
  let firstAt = null;
  await consumer.connect();
  try {
    for (const topic of topics) await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ topic, message }) => {
        if (firstAt === null) firstAt = t() - t0;
        got.push({ topic, key: message.key && message.key.toString(), value: message.value && message.value.toString() });
      },
    });
    const deadline = t0 + timeoutMs;
    while (t() < deadline && !expectValues.every((v) => got.some((g) => g.value === v))) await sleep(50);
    await sleep(settleMs); // anything that should NOT be there gets a chance to show up
  } finally {
    await consumer.disconnect();
  }
  return { got, firstAt };
}

const kafka = new Kafka({
  clientId: 'flagpole-kafka-smoke',
  brokers: BROKERS,
  logLevel: VERBOSE ? logLevel.INFO : logLevel.NOTHING,
  retry: { retries: 5, initialRetryTime: 100 },
});

async function main() {
  console.log(`kafka-smoke: kafkajs ${require('kafkajs/package.json').version}, brokers ${BROKERS.join(',')}, run ${RUN}`);
  const admin = instrument(kafka.admin());
  await admin.connect();

  // ---------------------------------------------------------------- protocol versions
  await check('broker ApiVersions vs kafkajs implemented versions', async () => {
    const offered = await brokerApiVersions(BROKERS[0]);
    const table = kafkajsRequestTable();
    assert(table, 'cannot read kafkajs request table');
    const bad = [];
    const lines = [];
    for (const r of table) {
      const b = offered.get(r.key);
      if (!b) {
        lines.push(`${r.name}: kafkajs v${r.min}-${r.max}, broker NONE`);
        continue;
      }
      const use = Math.min(r.max, b.max);
      const ok = use >= b.min && use >= r.min;
      lines.push(`${r.name}: kafkajs v${r.min}-${r.max}, broker v${b.min}-${b.max} -> v${use}${ok ? '' : '  <-- UNUSABLE'}`);
      if (!ok) bad.push(r.name);
    }
    console.log(lines.map((l) => `     ${l}`).join('\n'));
    assert(bad.length === 0, `kafkajs would send versions the broker rejects for: ${bad.join(', ')}`);
    return `${table.length} APIs compared`;
  });

  // ---------------------------------------------------------------- admin
  await check('admin.describeCluster', async () => {
    const c = await admin.describeCluster();
    assert(c.brokers.length === 1, `expected 1 broker, got ${c.brokers.length}`);
    return `clusterId ${c.clusterId}, controller ${c.controller}, broker ${c.brokers[0].host}:${c.brokers[0].port}`;
  });

  await check('admin.createTopics with explicit configs (compact + retention.ms=-1)', async () => {
    const created = await admin.createTopics({
      waitForLeaders: true,
      topics: [
        {
          topic: TOPIC_COMPACT,
          numPartitions: 3,
          replicationFactor: 1,
          configEntries: [
            { name: 'cleanup.policy', value: 'compact' },
            { name: 'min.compaction.lag.ms', value: '0' },
          ],
        },
        {
          topic: TOPIC_RETAIN,
          numPartitions: 1,
          replicationFactor: 1,
          configEntries: [
            { name: 'retention.ms', value: '-1' },
            { name: 'cleanup.policy', value: 'delete' },
          ],
        },
      ],
    });
    assert(created === true, `createTopics returned ${created}`);
    return 'returned true';
  });

  await check('admin.createTopics on an existing topic returns false (no throw)', async () => {
    const again = await admin.createTopics({ topics: [{ topic: TOPIC_RETAIN, numPartitions: 1 }] });
    assert(again === false, `expected false, got ${again}`);
    return 'returned false';
  });

  await check('admin.listTopics / fetchTopicMetadata', async () => {
    const topics = await admin.listTopics();
    assert(topics.includes(TOPIC_COMPACT) && topics.includes(TOPIC_RETAIN), 'new topics missing from listTopics');
    const md = await admin.fetchTopicMetadata({ topics: [TOPIC_COMPACT] });
    assert(md.topics[0].partitions.length === 3, 'compact topic should have 3 partitions');
    return `${topics.length} topics listed; ${TOPIC_COMPACT} has 3 partitions`;
  });

  await check('admin.describeConfigs (TOPIC) returns the explicit configs', async () => {
    const res = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [
        { type: 2 /* ConfigResourceTypes.TOPIC */, name: TOPIC_COMPACT, configNames: ['cleanup.policy', 'retention.ms'] },
        { type: 2, name: TOPIC_RETAIN, configNames: ['cleanup.policy', 'retention.ms'] },
      ],
    });
    const get = (topic, name) =>
      res.resources.find((r) => r.resourceName === topic).configEntries.find((c) => c.configName === name);
    assert(get(TOPIC_COMPACT, 'cleanup.policy').configValue === 'compact', 'compact topic cleanup.policy');
    assert(get(TOPIC_RETAIN, 'retention.ms').configValue === '-1', 'retain topic retention.ms');
    const src = get(TOPIC_RETAIN, 'retention.ms');
    return `cleanup.policy=compact, retention.ms=-1 (isDefault=${src.isDefault}, configSource=${src.configSource})`;
  });

  await check('admin.describeConfigs (BROKER 1)', async () => {
    const res = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: 4 /* BROKER */, name: '1', configNames: ['auto.create.topics.enable', 'min.insync.replicas'] }],
    });
    const e = Object.fromEntries(res.resources[0].configEntries.map((c) => [c.configName, c.configValue]));
    assert(e['auto.create.topics.enable'] === 'false', `auto.create.topics.enable=${e['auto.create.topics.enable']}`);
    return JSON.stringify(e);
  });

  await check('producing to a missing topic fails (auto.create.topics.enable=false)', async () => {
    const p = instrument(kafka.producer({ allowAutoTopicCreation: false, retry: { retries: 1, initialRetryTime: 100 } }));
    await p.connect();
    const t0 = t();
    let err = null;
    try {
      await p.send({ topic: `smoke.missing.${RUN}`, messages: [{ value: 'x' }] });
    } catch (e) {
      err = e;
    } finally {
      await p.disconnect();
    }
    assert(err, 'send to a missing topic succeeded');
    return `threw after ${t() - t0} ms: ${describeErr(err)}`;
  });

  // ---------------------------------------------------------------- transactions
  const p1 = instrument(kafka.producer({ transactionalId: TX_ID, idempotent: true, maxInFlightRequests: 1 }));
  await p1.connect();

  await check('transaction 1: send to BOTH topics, commit', async () => {
    const tx = await p1.transaction();
    await tx.send({ topic: TOPIC_COMPACT, messages: [{ key: 'k1', value: 'C1' }, { key: 'k2', value: 'C2' }] });
    await tx.send({ topic: TOPIC_RETAIN, messages: [{ key: 'e1', value: 'C3' }] });
    await tx.commit();
  });

  await check('transaction 2: sendBatch to both topics, abort', async () => {
    const tx = await p1.transaction();
    await tx.sendBatch({
      topicMessages: [
        { topic: TOPIC_COMPACT, messages: [{ key: 'k1', value: 'ABORTED-1' }] },
        { topic: TOPIC_RETAIN, messages: [{ key: 'e2', value: 'ABORTED-2' }] },
      ],
    });
    await tx.abort();
  });

  await check('transaction 3: sendBatch to both topics, commit', async () => {
    const tx = await p1.transaction();
    await tx.sendBatch({
      topicMessages: [
        { topic: TOPIC_COMPACT, messages: [{ key: 'k3', value: 'C4' }] },
        { topic: TOPIC_RETAIN, messages: [{ key: 'e3', value: 'C5' }] },
      ],
    });
    await tx.commit();
  });

  await check('transaction 4: sendOffsets (EOS consume-transform-produce) + admin.fetchOffsets', async () => {
    const tx = await p1.transaction();
    await tx.send({ topic: TOPIC_RETAIN, messages: [{ key: 'e4', value: 'C6' }] });
    await tx.sendOffsets({
      consumerGroupId: GROUP_EOS,
      topics: [{ topic: TOPIC_RETAIN, partitions: [{ partition: 0, offset: '2' }] }],
    });
    await tx.commit();
    const offs = await admin.fetchOffsets({ groupId: GROUP_EOS, topics: [TOPIC_RETAIN] });
    const o = offs[0].partitions.find((p) => p.partition === 0).offset;
    assert(o === '2', `committed offset ${o}, expected 2`);
    return `group ${GROUP_EOS} offset 2 committed inside the transaction`;
  });

  await check('admin.fetchTopicOffsets (and LSO while a transaction is open)', async () => {
    // tx.commit() resolves once the coordinator has logged PREPARE_COMMIT; the commit markers are
    // written to the partitions asynchronously, so the LSO can lag the commit by a moment.
    const p0 = t();
    let before = await admin.fetchTopicOffsets(TOPIC_RETAIN);
    let polls = 1;
    while (before[0].high !== '8' && t() - p0 < 5000) {
      await sleep(20);
      before = await admin.fetchTopicOffsets(TOPIC_RETAIN);
      polls++;
    }
    notes.push(`fetchTopicOffsets included the last commit marker after ${polls} poll(s), ${t() - p0} ms`);
    const tx = await p1.transaction();
    await tx.send({ topic: TOPIC_RETAIN, messages: [{ key: 'e5', value: 'ABORTED-OPEN' }] });
    const during = await admin.fetchTopicOffsets(TOPIC_RETAIN);
    await tx.abort();
    await sleep(200);
    const after = await admin.fetchTopicOffsets(TOPIC_RETAIN);
    const f = (x) => `offset=${x[0].offset} high=${x[0].high} low=${x[0].low}`;
    notes.push(
      `fetchTopicOffsets(${TOPIC_RETAIN}): before open tx {${f(before)}}, during open tx {${f(during)}}, after abort {${f(after)}}`,
    );
    assert(before[0].low === '0', 'low watermark should be 0');
    // retain topic: C3(0) m1 ABORTED-2(2) m3 C5(4) m5 C6(6) m7 => 8 before the open tx
    assert(before[0].high === '8', `expected high 8 (records + commit/abort markers), got ${before[0].high}`);
    return `before ${f(before)}; during open tx ${f(during)}; after abort ${f(after)}`;
  });

  // kafkajs 2.2.4: producer.connect() with idempotent:true only gets an *idempotent* producer id;
  // the transactionalId is claimed (InitProducerId with transactionalId -> epoch bump -> fencing)
  // lazily, by the first producer.transaction() call. So connect() alone fences nobody.
  const p2 = instrument(kafka.producer({ transactionalId: TX_ID, idempotent: true, maxInFlightRequests: 1 }));
  const zombieTx = await p1.transaction();
  await zombieTx.send({ topic: TOPIC_COMPACT, messages: [{ key: 'k9', value: 'FENCED-OPEN' }] });

  await check('kafkajs quirk (characterization): producer.connect() alone does NOT fence', async () => {
    await p2.connect();
    await zombieTx.send({ topic: TOPIC_COMPACT, messages: [{ key: 'k9', value: 'FENCED-2' }] });
    return 'old producer could still send after the new one connected';
  });

  await check('fencing: new producer.transaction() (+ empty abort) fences the first', async () => {
    const t0 = t();
    const fence = await p2.transaction(); // InitProducerId(transactionalId): epoch bump, aborts p1's open tx
    await fence.abort(); // empty transaction: nothing was added
    const fenceMs = t() - t0;
    let sendErr = null;
    let commitErr = null;
    const t1 = t();
    try {
      await zombieTx.send({ topic: TOPIC_COMPACT, messages: [{ key: 'k9', value: 'FENCED-3' }] });
    } catch (e) {
      sendErr = e;
    }
    const sendMs = t() - t1;
    const t2 = t();
    try {
      await zombieTx.commit();
    } catch (e) {
      commitErr = e;
    }
    const commitMs = t() - t2;
    const tx2 = await p2.transaction();
    await tx2.send({ topic: TOPIC_COMPACT, messages: [{ key: 'k4', value: 'C7' }] });
    await tx2.commit();
    notes.push(`fenced send error: ${describeErr(sendErr)}`);
    notes.push(`fenced commit error: ${describeErr(commitErr)}`);
    assert(sendErr, 'fenced producer could still send');
    assert(commitErr, 'fenced producer could still commit');
    return (
      `fence took ${fenceMs} ms; zombie send threw in ${sendMs} ms (${sendErr && sendErr.type || sendErr && sendErr.name}); ` +
      `zombie commit threw in ${commitMs} ms (${commitErr && commitErr.type || commitErr && commitErr.name}); new producer committed`
    );
  });
  await p2.disconnect();
  await p1.disconnect().catch(() => {});

  // ---------------------------------------------------------------- consumers
  const committed = ['C1', 'C2', 'C3', 'C4', 'C5', 'C6', 'C7'];
  await check('consumer readUncommitted:false sees exactly the committed records', async () => {
    const { got, firstAt } = await consumeAll({
      groupId: GROUP_RC,
      readUncommitted: false,
      topics: [TOPIC_COMPACT, TOPIC_RETAIN],
      expectValues: committed,
    });
    const values = got.map((g) => g.value).sort();
    assert(
      JSON.stringify(values) === JSON.stringify([...committed].sort()),
      `got ${JSON.stringify(values)}, expected ${JSON.stringify(committed)}`,
    );
    return `${got.length} records, first after ${firstAt} ms (group join incl.)`;
  });

  await check('consumer readUncommitted:true also sees the aborted / fenced records', async () => {
    const expectAborted = ['ABORTED-1', 'ABORTED-2', 'ABORTED-OPEN', 'FENCED-OPEN', 'FENCED-2'];
    const { got } = await consumeAll({
      groupId: GROUP_RU,
      readUncommitted: true,
      topics: [TOPIC_COMPACT, TOPIC_RETAIN],
      expectValues: [...committed, ...expectAborted],
      timeoutMs: 15000,
    });
    const values = new Set(got.map((g) => g.value));
    const missing = expectAborted.filter((v) => !values.has(v));
    assert(missing.length === 0, `read_uncommitted did not see ${missing.join(',')}; got ${[...values].join(',')}`);
    return `${got.length} records incl. ${expectAborted.join(', ')}`;
  });

  await check('admin.fetchOffsets for the read_committed group after it consumed', async () => {
    const offs = await admin.fetchOffsets({ groupId: GROUP_RC, topics: [TOPIC_RETAIN, TOPIC_COMPACT] });
    return offs.map((o) => `${o.topic}: ${o.partitions.map((p) => `${p.partition}@${p.offset}`).join(' ')}`).join('; ');
  });

  // ---------------------------------------------------------------- cleanup
  if (!KEEP) {
    await check('admin.deleteTopics + deleteGroups (cleanup)', async () => {
      await admin.deleteGroups([GROUP_RC, GROUP_RU, GROUP_EOS]).catch(() => {});
      await admin.deleteTopics({ topics: [TOPIC_COMPACT, TOPIC_RETAIN] });
    });
  }
  await admin.disconnect();

  console.log('\nAPI versions kafkajs sent during this run:');
  console.log([...sent.entries()].sort().map(([k, n]) => `     ${k} x${n}`).join('\n'));
  if (notes.length) console.log(`\nNotes:\n${notes.map((n) => `     ${n}`).join('\n')}`);
  const passed = results.filter((r) => r.ok).length;
  const failed = results.length - passed;
  console.log(`\nkafka-smoke: ${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

main().catch((e) => {
  console.error(`kafka-smoke: aborted: ${e && e.stack ? e.stack : e}`);
  process.exit(1);
});
