import {
  decideAll,
  FlagpoleState,
  stampEvents,
  type CommandMetadata,
  type Decision,
  type EventEnvelope,
  type FlagpoleCommand,
} from '@flagpole/domain';
import type { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';
import { approvalCompliance, AuditEntryEntity, migrateReadModel, readModelDataSource } from '../src';

/**
 * The compliance query against forged histories: events stamped straight onto the chain, the way
 * a writer that skipped the approval checks would have written them. The query must catch them.
 */
describe('approvalCompliance', () => {
  let db: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase();
    dataSource = readModelDataSource(db.url, { poolSize: 1 });
    await dataSource.initialize();
    await migrateReadModel(dataSource);
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  const ADMIN = { role: 'admin', environments: '*' } as const;
  const state = FlagpoleState.empty();
  const log: EventEnvelope[] = [];
  let clock = Date.parse('2025-03-01T00:00:00.000Z');
  let ids = 0;
  const metaOf = (actor: string): CommandMetadata => ({ actor: { id: actor, name: actor }, now: new Date((clock += 60_000)).toISOString(), correlationId: `c${clock}` });
  const append = (decisions: readonly Decision[], meta: CommandMetadata) => {
    for (const d of decisions) {
      for (const e of stampEvents(d, d.meta ?? meta, state, () => `e${++ids}`)) {
        state.apply(e);
        log.push(e);
      }
    }
  };
  const run = (command: Omit<FlagpoleCommand, 'meta'>, actor = 'token:ada') => {
    const meta = metaOf(actor);
    append(decideAll({ ...command, meta } as FlagpoleCommand, state), meta);
  };
  /** Writes events without any decision: what a compromised writer could do. */
  const forge = (aggregateType: Decision['aggregateType'], aggregateId: string, events: Decision['events'], changeRequestId?: string, correlationId?: string) => {
    const meta = { ...metaOf('token:mallory'), ...(changeRequestId ? { changeRequestId } : {}), ...(correlationId ? { correlationId } : {}) };
    append([{ aggregateType, aggregateId, baseVersion: state.versionOf(aggregateType, aggregateId), events }], meta);
  };

  async function store(): Promise<void> {
    const stored = new Set(((await dataSource.query('SELECT sequence FROM audit_trail')) as { sequence: string }[]).map((r) => Number(r.sequence)));
    for (const e of log.filter((x) => !stored.has(x.sequence))) {
      await dataSource.manager.insert(AuditEntryEntity, {
        sequence: String(e.sequence),
        eventId: e.id,
        eventType: e.type,
        aggregateType: e.aggregateType,
        aggregateId: e.aggregateId,
        version: e.version,
        time: new Date(e.time),
        actorId: e.actor.id,
        actorName: e.actor.name,
        reason: e.reason,
        correlationId: e.correlationId,
        changeRequestId: e.changeRequestId,
        diff: [],
        prevHash: e.prevHash,
        hash: e.hash,
        kafkaPartition: 0,
        kafkaOffset: String(e.sequence),
        payload: e,
      });
    }
  }

  it('finds an honest history compliant, and names each forged change with what was wrong', async () => {
    run({ type: 'CreateEnvironment', data: { key: 'production', name: 'Production', production: true } });
    run({ type: 'CreateFlag', data: { key: 'pay', name: 'Pay' } });
    run({ type: 'SetApprovalPolicy', data: { environment: 'production', policy: { requiredApprovals: 2, rules: { toggles: true } } } });
    run({ type: 'OpenChangeRequest', data: { id: 'cr-ok', title: 'on', changes: [{ type: 'ToggleFlag', data: { key: 'pay', environment: 'production', on: true } }], author: ADMIN } });
    run({ type: 'ReviewChangeRequest', data: { id: 'cr-ok', decision: 'approve', reviewer: ADMIN } }, 'token:grace');
    run({ type: 'ReviewChangeRequest', data: { id: 'cr-ok', decision: 'approve', reviewer: ADMIN } }, 'token:alan');
    run({ type: 'ApplyChangeRequest', data: { id: 'cr-ok', applier: ADMIN } });
    await store();
    const honest = await approvalCompliance(dataSource.manager, 'production', '2025-03-01T00:00:00Z', '2025-04-01T00:00:00Z');
    expect(honest.compliant).toBe(true);
    expect(honest.changes.map((c) => [c.eventType, c.via, c.approvers.length, c.requiredApprovals])).toEqual([
      ['ApprovalPolicySet', 'direct', 0, 0],
      ['FlagToggled', 'change_request', 2, 2],
    ]);

    // A direct kill switch the policy holds back, written anyway.
    forge('flag', 'flag:pay', [{ type: 'FlagToggled', data: { environment: 'production', on: false } }]);
    // A request applied with one approval where two are required.
    run({ type: 'OpenChangeRequest', data: { id: 'cr-short', title: 'on again', changes: [{ type: 'ToggleFlag', data: { key: 'pay', environment: 'production', on: true } }], author: ADMIN } });
    run({ type: 'ReviewChangeRequest', data: { id: 'cr-short', decision: 'approve', reviewer: ADMIN } }, 'token:grace');
    forge('changeRequest', 'change-request:cr-short', [{ type: 'ChangeRequestApplied', data: { approvals: ['token:grace'], requiredApprovals: 1, appliedAt: new Date(clock).toISOString(), scheduled: false } }], undefined, 'forged');
    forge('flag', 'flag:pay', [{ type: 'FlagToggled', data: { environment: 'production', on: true } }], 'cr-short', 'forged');
    await store();
    const report = await approvalCompliance(dataSource.manager, 'production', '2025-03-01T00:00:00Z', '2025-04-01T00:00:00Z');
    expect(report.compliant).toBe(false);
    expect(report.changes.filter((c) => c.problems.length > 0).map((c) => [c.via, c.changeRequestId, c.problems])).toEqual([
      ['direct', null, ['needed approval but none was given: turns flag "pay" off in "production"']],
      ['change_request', 'cr-short', ['1 approval(s) where 2 were required']],
    ]);
  });
});
