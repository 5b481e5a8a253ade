import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

const WRITER_STATUSES = ['standby', 'starting', 'ready', 'not_leader', 'kafka_unavailable', 'fenced', 'stopped'] as const;

/** Prometheus metrics of this process; one registry so tests and instances never share state. */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  readonly httpDuration = new Histogram({
    name: 'flagpole_http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  readonly commands = new Counter({
    name: 'flagpole_commands_total',
    help: 'Commands by type and outcome',
    labelNames: ['type', 'outcome'],
    registers: [this.registry],
  });
  private readonly writer = new Gauge({
    name: 'flagpole_writer_status',
    help: '1 for the writer status this instance is in',
    labelNames: ['status'],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    this.writerStatus('standby');
  }

  writerStatus(status: string): void {
    for (const s of WRITER_STATUSES) this.writer.set({ status: s }, s === status ? 1 : 0);
  }
}
