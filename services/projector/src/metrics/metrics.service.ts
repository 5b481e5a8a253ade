import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { PROJECTION_STATUSES, type Anomaly, type ProjectionObserver, type ProjectionStatus } from '../projection/projection-pipeline';
import type { ProjectionBatch } from '../projection/projection-state';
import type { Refusal } from '../projection/sequencer';

/** Prometheus metrics of the projector; one registry per process (and per test instance). */
@Injectable()
export class MetricsService implements ProjectionObserver {
  readonly registry = new Registry();
  readonly httpDuration = new Histogram({
    name: 'flagpole_http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    registers: [this.registry],
  });
  private readonly eventsApplied = new Counter({
    name: 'flagpole_projector_events_applied_total',
    help: 'Events applied to the read models and audit trail',
    registers: [this.registry],
  });
  private readonly batchDuration = new Histogram({
    name: 'flagpole_projector_batch_duration_seconds',
    help: 'Duration of one Postgres transaction applying a batch of events',
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  private readonly appliedSequence = new Gauge({
    name: 'flagpole_projector_applied_sequence',
    help: 'Global sequence of the last event applied (the consistency token read models have reached)',
    registers: [this.registry],
  });
  private readonly lagRecords = new Gauge({
    name: 'flagpole_projector_lag_records',
    help: 'Records between the last applied event and the end of the events topic, summed over partitions',
    registers: [this.registry],
  });
  private readonly buffered = new Gauge({
    name: 'flagpole_projector_buffered_events',
    help: 'Events read ahead of a gap in the sequence, waiting for it to fill',
    registers: [this.registry],
  });
  private readonly duplicateEvents = new Counter({
    name: 'flagpole_projector_duplicate_events_total',
    help: 'Events read again that were already applied (replays, redeliveries); they change nothing',
    registers: [this.registry],
  });
  private readonly refusals = new Counter({
    name: 'flagpole_projector_refusals_total',
    help: 'Events the projector refused to apply, by reason (a broken hash chain, a version gap, …)',
    labelNames: ['kind'],
    registers: [this.registry],
  });
  private readonly anomalies = new Counter({
    name: 'flagpole_projector_anomalies_total',
    help: 'Odd records in the log that did not stop the projection, by kind',
    labelNames: ['kind'],
    registers: [this.registry],
  });
  private readonly statusGauge = new Gauge({
    name: 'flagpole_projector_status',
    help: '1 for the status the projector is in',
    labelNames: ['status'],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    this.status('starting');
  }

  applied(batch: ProjectionBatch, seconds: number): void {
    this.eventsApplied.inc(batch.events.length);
    this.batchDuration.observe(seconds);
    this.appliedSequence.set(batch.to.sequence);
  }

  duplicates(count: number): void {
    this.duplicateEvents.inc(count);
  }

  anomaly(anomaly: Anomaly): void {
    this.anomalies.inc({ kind: anomaly.kind });
  }

  refused(refusal: Refusal): void {
    this.refusals.inc({ kind: refusal.kind });
  }

  status(status: ProjectionStatus): void {
    for (const s of PROJECTION_STATUSES) this.statusGauge.set({ status: s }, s === status ? 1 : 0);
  }

  lag(records: number, buffered: number, appliedSequence: number): void {
    this.lagRecords.set(records);
    this.buffered.set(buffered);
    this.appliedSequence.set(appliedSequence);
  }
}
