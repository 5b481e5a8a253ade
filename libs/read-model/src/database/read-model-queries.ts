import { MoreThan, type DataSource, type EntityManager } from 'typeorm';
import { auditRowCanonicalJson, ChecksumBuilder, checksumKeys, checksumRow, type AuditTextRow, type ReadModelChecksum } from '../checksum/checksum';
import {
  ApprovalPolicyEntity,
  AuditEntryEntity,
  ChangeRequestEntity,
  EnvironmentEntity,
  FlagEntity,
  FlagEnvironmentEntity,
  ProjectionHeadEntity,
  ProjectionPositionEntity,
  SegmentEntity,
  TokenEntity,
} from '../entities/read-model.entities';
import { toView } from '../entities/entity-mappers';
import type { AuditEntry, ProjectionHead } from '../model/read-model.types';
import { ChainVerifier, pushAuditRow, type ChainHead, type ChainVerification } from '../verify/verify-chain';

const AUDIT_PAGE = 5000;

/**
 * Audit rows after `afterSequence`, ascending: the building block of paging and verification.
 * `asStored` skips putting payload and diff members in jsonb's order (toView.auditAsStored).
 */
export async function auditPage(manager: EntityManager, afterSequence: number, limit = AUDIT_PAGE, asStored = false): Promise<AuditEntry[]> {
  const rows = await manager.find(AuditEntryEntity, { where: { sequence: MoreThan(String(afterSequence)) }, order: { sequence: 'ASC' }, take: limit });
  return rows.map(asStored ? toView.auditAsStored : toView.audit);
}

export async function readProjectionHead(manager: EntityManager): Promise<ProjectionHead> {
  const head = await manager.findOneByOrFail(ProjectionHeadEntity, { id: 1 });
  return toView.head(head);
}

/**
 * Audit rows after `afterSequence` for the checksum: plain SQL (TypeORM's entity hydration was a
 * tenth of the checksum's time), `diff` and `payload` as their text (canonicalised from it).
 */
async function auditTextPage(manager: EntityManager, afterSequence: string): Promise<AuditTextRow[]> {
  return (await manager.query(
    `SELECT sequence, event_id, event_type, aggregate_type, aggregate_id, version, time, actor_id, actor_name, reason,
            correlation_id, change_request_id, diff::text AS diff, prev_hash, hash, payload::text AS payload
       FROM audit_trail WHERE sequence > $1 ORDER BY sequence LIMIT ${AUDIT_PAGE}`,
    [afterSequence],
  )) as AuditTextRow[];
}

/**
 * The checksum of the read models and audit trail as stored, read in one snapshot
 * (REPEATABLE READ) so a projector writing meanwhile cannot tear it.
 */
export async function computeReadModelChecksum(dataSource: DataSource): Promise<ReadModelChecksum> {
  return dataSource.transaction('REPEATABLE READ', async (manager) => {
    const builder = new ChecksumBuilder();
    builder.addTable('environments', (await manager.find(EnvironmentEntity)).map(toView.environment), checksumKeys.environments);
    builder.addTable('flags', (await manager.find(FlagEntity)).map(toView.flag), checksumKeys.flags);
    builder.addTable('flag_environments', (await manager.find(FlagEnvironmentEntity)).map(toView.flagEnvironment), checksumKeys.flag_environments);
    builder.addTable('segments', (await manager.find(SegmentEntity)).map(toView.segment), checksumKeys.segments);
    builder.addTable('tokens', (await manager.find(TokenEntity)).map(toView.token), checksumKeys.tokens);
    builder.addTable('approval_policies', (await manager.find(ApprovalPolicyEntity)).map(toView.approvalPolicy), checksumKeys.approval_policies);
    builder.addTable('change_requests', (await manager.find(ChangeRequestEntity)).map(toView.changeRequest), checksumKeys.change_requests);
    builder.addTable('projection_position', (await manager.find(ProjectionPositionEntity)).map(toView.position), checksumKeys.projection_position);
    builder.addTable('projection_head', [await readProjectionHead(manager)], () => '1', checksumRow.head);
    builder.beginTable('audit_trail');
    // The next page is asked for before this one is hashed, so Postgres reads and sends it while
    // Node canonicalises (the Node side is most of a checksum's time at a million rows).
    let next: Promise<AuditTextRow[]> | undefined = auditTextPage(manager, '0');
    while (next) {
      const page: AuditTextRow[] = await next;
      next = page.length < AUDIT_PAGE ? undefined : auditTextPage(manager, page[page.length - 1]!.sequence);
      // A page that fails is rethrown by its own await; this only keeps it from being unhandled
      // while the current page is hashed.
      next?.catch(() => undefined);
      for (const row of page) builder.addCanonicalRow(Number(row.sequence), auditRowCanonicalJson(row));
    }
    builder.endTable();
    return builder.digest();
  });
}

/**
 * Verifies the stored audit trail page by page (see verifyAuditTrail), and that it reaches the
 * projection head: a deleted tail is invisible to the chain alone.
 */
export async function verifyStoredAuditTrail(dataSource: DataSource, options: { readonly expectedHead?: { sequence: number; hash?: string } } = {}): Promise<ChainVerification> {
  return dataSource.transaction('REPEATABLE READ', async (manager) => {
    const head = await readProjectionHead(manager);
    const verifier = new ChainVerifier();
    for (let after = 0; ; ) {
      const page = await auditPage(manager, after, AUDIT_PAGE, true);
      for (const row of page) if (pushAuditRow(verifier, row)) return verifier.finish();
      if (page.length < AUDIT_PAGE) break;
      after = page[page.length - 1]!.sequence;
    }
    const expected: ChainHead | { sequence: number; hash?: string } = options.expectedHead ?? { sequence: head.lastSequence, hash: head.lastHash };
    return verifier.finish(expected);
  });
}
