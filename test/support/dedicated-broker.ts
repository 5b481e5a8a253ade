import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const KAFKA_SH = resolve(__dirname, '../../infra/bin/kafka.sh');

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

/**
 * A Kafka broker of a test's own, for tests that stop and start the broker: stopping the shared
 * one would pull it from under every other suite running in parallel.
 */
export class DedicatedBroker {
  private constructor(
    readonly dataDir: string,
    readonly port: number,
    private readonly controllerPort: number,
  ) {}

  static async create(): Promise<DedicatedBroker> {
    const dataDir = await mkdtemp(join(tmpdir(), 'flagpole-broker-'));
    return new DedicatedBroker(dataDir, await freePort(), await freePort());
  }

  get brokers(): string[] {
    return [`127.0.0.1:${this.port}`];
  }

  async start(): Promise<void> {
    await this.kafka('start');
  }

  async stop(): Promise<void> {
    await this.kafka('stop');
  }

  async destroy(): Promise<void> {
    await this.stop().catch(() => undefined);
    await rm(this.dataDir, { recursive: true, force: true });
  }

  private async kafka(action: 'start' | 'stop'): Promise<void> {
    await run('bash', [KAFKA_SH, action], {
      env: {
        ...process.env,
        KAFKA_DATA_DIR: this.dataDir,
        KAFKA_PORT: String(this.port),
        KAFKA_CONTROLLER_PORT: String(this.controllerPort),
        KAFKA_REUSE_EXISTING: '0',
        KAFKA_HEAP_OPTS: '-Xmx256m -Xms128m',
        KAFKA_READY_TIMEOUT: '120',
      },
      timeout: 180_000,
    });
  }
}
