import { defaultEnvironmentConfig, type EnvironmentScope, type FlagKind } from '@flagpole/domain';
import type { FlagEnvironmentConfig } from '@flagpole/evaluation';
import { Brackets, type EntityManager } from 'typeorm';
import { EnvironmentEntity, FlagEntity, FlagEnvironmentEntity } from '../entities/read-model.entities';
import { toView } from '../entities/entity-mappers';
import type { FlagView } from '../model/read-model.types';
import { decodeKeyCursor, encodeCursor, pageLimit } from './cursor';
import { environmentsInScope } from './scope';

export interface FlagFilter {
  /** Only this environment's configuration is returned with each flag. */
  readonly environment?: string;
  readonly tag?: string;
  readonly kind?: FlagKind;
  readonly owner?: string;
  /** true: archived flags only; false or absent: live flags only. */
  readonly archived?: boolean;
  /** Case-insensitive substring of the key or the name. */
  readonly q?: string;
  readonly scope?: EnvironmentScope;
}

/** A flag in one environment, as the read model holds it now. */
export interface FlagEnvironmentSummary {
  readonly on: boolean;
  /** False: nobody configured or toggled it there; it serves the default (off) configuration. */
  readonly configured: boolean;
  readonly config: FlagEnvironmentConfig;
  /** The flag's version when this environment last changed (null when never configured). */
  readonly version: number | null;
  readonly updatedAt: string | null;
  readonly lastSequence: number | null;
}

export type FlagWithEnvironments = FlagView & { readonly environments: Readonly<Record<string, FlagEnvironmentSummary>> };

export interface FlagPage {
  readonly items: readonly FlagWithEnvironments[];
  readonly nextCursor: string | null;
}

/**
 * Lists flags from the read model, filtered and keyset-paged by key. Each flag comes with its
 * configuration in every environment the reader may see (or only `filter.environment`).
 */
export async function listFlags(manager: EntityManager, filter: FlagFilter = {}, page: { readonly cursor?: string; readonly limit?: number } = {}): Promise<FlagPage> {
  const limit = pageLimit(page.limit);
  const after = decodeKeyCursor(page.cursor);
  const query = manager.createQueryBuilder(FlagEntity, 'f').where('f.status = :status', { status: filter.archived ? 'archived' : 'active' });
  if (filter.tag !== undefined) query.andWhere('f.tags @> ARRAY[:tag]::text[]', { tag: filter.tag });
  if (filter.kind !== undefined) query.andWhere('f.kind = :kind', { kind: filter.kind });
  if (filter.owner !== undefined) query.andWhere('f.owner = :owner', { owner: filter.owner });
  if (filter.q !== undefined && filter.q !== '') {
    const like = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query.andWhere(new Brackets((b) => b.where('f.key ILIKE :like', { like }).orWhere('f.name ILIKE :like', { like })));
  }
  // Keys are compared byte-wise (COLLATE "C") so the order matches the cursor's everywhere.
  if (after !== undefined) query.andWhere('f.key COLLATE "C" > :after', { after });
  const rows = await query.orderBy('f.key COLLATE "C"').limit(limit + 1).getMany();
  const flags = rows.slice(0, limit).map(toView.flag);
  const environments = await visibleEnvironments(manager, filter.scope ?? '*', filter.environment);
  const items = await withEnvironments(manager, flags, environments);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor({ afterKey: last.key }) : null };
}

/** One flag with its configuration in every environment the reader may see; undefined if unknown. */
export async function getFlag(manager: EntityManager, key: string, scope: EnvironmentScope = '*'): Promise<FlagWithEnvironments | undefined> {
  const row = await manager.findOneBy(FlagEntity, { key });
  if (!row) return undefined;
  const [flag] = await withEnvironments(manager, [toView.flag(row)], await visibleEnvironments(manager, scope));
  return flag;
}

async function visibleEnvironments(manager: EntityManager, scope: EnvironmentScope, only?: string): Promise<string[]> {
  const keys = (await manager.find(EnvironmentEntity, { select: { key: true }, order: { key: 'ASC' } })).map((e) => e.key);
  const visible = environmentsInScope(keys, scope);
  return only === undefined ? visible : visible.filter((k) => k === only);
}

async function withEnvironments(manager: EntityManager, flags: readonly FlagView[], environments: readonly string[]): Promise<FlagWithEnvironments[]> {
  if (flags.length === 0) return [];
  const rows =
    environments.length === 0
      ? []
      : await manager
          .createQueryBuilder(FlagEnvironmentEntity, 'fe')
          .where('fe.flag_key = ANY(:keys)', { keys: flags.map((f) => f.key) })
          .andWhere('fe.environment_key = ANY(:envs)', { envs: [...environments] })
          .getMany();
  const configured = new Map(rows.map((r) => [`${r.flagKey}\u0000${r.environmentKey}`, toView.flagEnvironment(r)]));
  return flags.map((flag) => {
    const summaries: Record<string, FlagEnvironmentSummary> = {};
    for (const env of environments) {
      const row = configured.get(`${flag.key}\u0000${env}`);
      summaries[env] = row
        ? { on: row.on, configured: true, config: row.config, version: row.version, updatedAt: row.updatedAt, lastSequence: row.lastSequence }
        : { on: false, configured: false, config: defaultEnvironmentConfig(flag), version: null, updatedAt: null, lastSequence: null };
    }
    return { ...flag, environments: summaries };
  });
}
