import { Inject, Injectable } from '@nestjs/common';
import { createKafka, decodeEvent, topicNames, TopicReader } from '@flagpole/kafka';
import type { LogRecord } from '@flagpole/read-model';
import { PinoLogger } from 'nestjs-pino';
import { APP_CONFIG, type AppConfig } from '../config/app-config';

const READ_TIMEOUT_MS = 120_000;

/**
 * Reads `<prefix>.events` from the beginning to the end captured at start (read_committed), for
 * verification straight from the log of record. Each read has its own short-lived consumer and
 * client, stopped in every outcome so no retry loop outlives the request.
 */
@Injectable()
export class EventLogReader {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly logger: PinoLogger,
  ) {}

  /** Every committed event record with its partition and offset; undecodable records are skipped (their sequence then shows as missing). */
  async readAll(timeoutMs = READ_TIMEOUT_MS): Promise<{ readonly records: LogRecord[]; readonly undecodable: number }> {
    const log = this.logger.logger.child({ component: 'verify' });
    const kafka = createKafka({ ...this.config.kafka, clientId: `${this.config.kafka.clientId}-verify` }, log);
    const records: LogRecord[] = [];
    let undecodable = 0;
    const reader = new TopicReader({
      kafka,
      topic: topicNames(this.config.kafka.topicPrefix).events,
      tail: false,
      groupIdPrefix: 'flagpole-verify',
      onRecord: (r) => {
        try {
          records.push({ partition: r.partition, offset: r.offset, event: decodeEvent(r.message) });
        } catch {
          undecodable += 1;
        }
      },
    });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`reading the event log took longer than ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([reader.start(), timeout]);
    } finally {
      clearTimeout(timer);
      await reader.stop().catch((error: unknown) => log.warn({ err: error }, 'stopping the verify reader failed'));
    }
    return { records, undecodable };
  }
}
