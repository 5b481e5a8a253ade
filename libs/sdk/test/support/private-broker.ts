import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';

const ROOT = path.resolve(__dirname, '../../../..');
const LIBS = path.join(ROOT, 'infra/.kafka/libs');
const TEMPLATE = path.join(ROOT, 'infra/kafka/server.properties.template');
const LOG4J = path.join(ROOT, 'infra/kafka/log4j2.xml');

/**
 * A throw-away single-node Kafka broker (KRaft) for tests that must stop and restart Kafka: the
 * shared broker cannot be stopped, other suites use it. It runs the jars `infra/bin/kafka.sh`
 * fetched and the same config template, on free ports with its data in a temporary directory
 * (kafka.sh itself has a fixed data directory, so it cannot run a second broker).
 */
export class PrivateBroker {
  private process: ChildProcess | undefined;
  readonly dir: string;
  readonly port: number;
  private readonly conf: string;

  private constructor(port: number, controllerPort: number) {
    this.port = port;
    this.dir = mkdtempSync(path.join(tmpdir(), 'flagpole-sdk-broker-'));
    this.conf = path.join(this.dir, 'server.properties');
    const rendered = readFileSync(TEMPLATE, 'utf8')
      .replaceAll('@KAFKA_HOST@', '127.0.0.1')
      .replaceAll('@KAFKA_PORT@', String(port))
      .replaceAll('@KAFKA_CONTROLLER_PORT@', String(controllerPort))
      .replaceAll('@LOG_DIRS@', path.join(this.dir, 'data'));
    writeFileSync(this.conf, rendered);
  }

  /** True when the broker jars are present (`bash infra/bin/kafka.sh fetch`) and java runs. */
  static available(): boolean {
    return existsSync(LIBS) && spawnSync('java', ['-version']).status === 0;
  }

  /** Prepares (formats) a broker on free ports; `start()` runs it. */
  static async create(): Promise<PrivateBroker> {
    const broker = new PrivateBroker(await freePort(), await freePort());
    // Like kafka.sh: 16 random bytes, base64url, not starting with '-' (the tool would take it for an option).
    let clusterId = '-';
    while (clusterId.startsWith('-')) clusterId = randomBytes(16).toString('base64url');
    const format = spawnSync('java', ['-Xmx256m', `-Dlog4j2.configurationFile=${LOG4J}`, '-cp', `${LIBS}/*`, 'kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', broker.conf, '--ignore-formatted'], {
      encoding: 'utf8',
    });
    if (format.status !== 0) throw new Error(`formatting the private broker failed: ${format.stderr}${format.stdout}`);
    return broker;
  }

  get brokers(): string[] {
    return [`127.0.0.1:${this.port}`];
  }

  /** Starts the broker and waits until it answers metadata requests. */
  async start(timeoutMs = 90_000): Promise<void> {
    if (this.process) return;
    const child = spawn(
      'java',
      ['-Xmx384m', '-Xms128m', '-XX:+UseG1GC', `-Dlog4j2.configurationFile=${LOG4J}`, `-Dkafka.logs.dir=${path.join(this.dir, 'logs')}`, '-cp', `${LIBS}/*`, 'kafka.Kafka', this.conf],
      { stdio: 'ignore' },
    );
    this.process = child;
    const deadline = Date.now() + timeoutMs;
    const kafka = new Kafka({ clientId: 'private-broker-probe', brokers: this.brokers, logLevel: logLevel.NOTHING, retry: { retries: 0 }, connectionTimeout: 1000 });
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the private broker exited with ${child.exitCode}`);
      const admin = kafka.admin();
      try {
        await admin.connect();
        await admin.describeCluster();
        await admin.disconnect();
        return;
      } catch {
        await admin.disconnect().catch(() => undefined);
      }
      if (Date.now() > deadline) throw new Error(`the private broker was not ready within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  /** Stops the broker (SIGTERM, SIGKILL after 30 s); its data stays for a later `start()`. */
  async stop(): Promise<void> {
    const child = this.process;
    this.process = undefined;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(killer);
  }

  /** Stops the broker and removes its data. */
  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
