import type { EnvironmentScope, FlagState } from '@flagpole/domain';
import type { JsonValue } from '@flagpole/evaluation';
import type { EntityManager } from 'typeorm';
import { diffAggregate } from '../diff/aggregate-diff';
import { diffJson, type DiffEntry } from '../diff/json-diff';
import { environmentAsOf, flagAsOf, type EnvironmentAsOf } from './as-of';
import { resolvePoint, type PointInput, type ResolvedPoint } from './query-point';
import { flagInScope } from './scope';

export interface PointDiff {
  readonly from: ResolvedPoint;
  readonly to: ResolvedPoint;
  /** What changed from `from` to `to`, in the audit trail's diff format. */
  readonly changes: readonly DiffEntry[];
}

/**
 * How a flag changed between two points (either order; `to` defaults to now): both states are
 * replayed and compared with the same diff the audit trail stores per event, so one rule edit
 * reads as that rule's path. Environments outside `scope` (or other than `environment`) are left
 * out of both sides. Undefined when the flag never existed.
 */
export async function flagDiff(
  manager: EntityManager,
  key: string,
  from: PointInput,
  to: PointInput | undefined,
  options: { readonly scope?: EnvironmentScope; readonly environment?: string } = {},
): Promise<(PointDiff & { readonly key: string }) | undefined> {
  const [fromPoint, toPoint] = [await resolvePoint(manager, from, 'from'), await resolvePoint(manager, to, 'to')];
  const before = await flagAsOf(manager, key, fromPoint);
  if (!before) return undefined;
  const after = (await flagAsOf(manager, key, toPoint))!;
  const narrow = (flag: FlagState): FlagState => {
    const scoped = flagInScope(flag, options.scope ?? '*');
    return options.environment === undefined ? scoped : flagInScope(scoped, [options.environment]);
  };
  const a = narrow(before.flag ?? { status: 'absent', version: 0 });
  const b = narrow(after.flag ?? { status: 'absent', version: 0 });
  return { key, from: fromPoint, to: toPoint, changes: diffAggregate('flag', a, b) };
}

/**
 * How a whole environment changed between two points: every flag's configuration there, its
 * segments and its own settings. Undefined when the environment never existed.
 */
export async function environmentDiff(manager: EntityManager, environment: string, from: PointInput, to: PointInput | undefined): Promise<(PointDiff & { readonly environment: string }) | undefined> {
  const [fromPoint, toPoint] = [await resolvePoint(manager, from, 'from'), await resolvePoint(manager, to, 'to')];
  const before = await environmentAsOf(manager, environment, fromPoint);
  if (!before) return undefined;
  const after = (await environmentAsOf(manager, environment, toPoint))!;
  return { environment, from: fromPoint, to: toPoint, changes: diffJson(environmentDocument(before), environmentDocument(after)) };
}

/**
 * An environment as one JSON document for diffing: what it evaluates, without bookkeeping
 * (sequences, versions) that changes on every event. Paths read
 * `/flags/checkout/config/rules[id=us]/serve/variant`, `/segments/beta/rules/included`.
 */
export function environmentDocument(snapshot: EnvironmentAsOf): JsonValue {
  const flags: Record<string, JsonValue> = {};
  for (const f of snapshot.flags) flags[f.key] = json({ status: f.status, type: f.type, variants: f.variants, config: f.config });
  const segments: Record<string, JsonValue> = {};
  for (const s of snapshot.segments) segments[s.key] = json({ name: s.name, description: s.description, rules: s.rules });
  const details = snapshot.details ? json({ name: snapshot.details.name, description: snapshot.details.description, production: snapshot.details.production }) : {};
  return { environment: details, flags, segments };
}

/** Read-model values are parsed JSON already; this only retypes them. */
function json(value: object): JsonValue {
  return value as JsonValue;
}
