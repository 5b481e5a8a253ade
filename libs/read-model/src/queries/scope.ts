import type { EnvironmentScope, EventEnvelope, FlagState } from '@flagpole/domain';

/**
 * Which environment an event belongs to, for tokens scoped to some environments:
 * - environment and segment events belong to their environment;
 * - a flag's configuration or toggle belongs to the environment it changed;
 * - the rest of a flag's life (created, metadata, variants, archive, restore) concerns every
 *   environment and is visible to every reader;
 * - token events are administration, visible only to tokens scoped to `*`.
 */
export type EventReach = { readonly kind: 'environment'; readonly environment: string } | { readonly kind: 'global' } | { readonly kind: 'administration' };

export function eventReach(event: Pick<EventEnvelope, 'aggregateType' | 'aggregateId' | 'type' | 'data'>): EventReach {
  switch (event.aggregateType) {
    case 'environment':
      return { kind: 'environment', environment: event.aggregateId.slice('environment:'.length) };
    case 'segment': {
      const rest = event.aggregateId.slice('segment:'.length);
      return { kind: 'environment', environment: rest.slice(0, rest.indexOf('/')) };
    }
    case 'flag':
      if (event.type === 'FlagEnvironmentConfigured' || event.type === 'FlagToggled') return { kind: 'environment', environment: (event.data as { readonly environment: string }).environment };
      return { kind: 'global' };
    case 'approvalPolicy':
      // Approvers scoped to an environment must be able to see who changed its policy.
      return { kind: 'environment', environment: event.aggregateId.slice('approval-policy:'.length) };
    default:
      // Tokens, and change requests (one request can span environments: read them through
      // /api/change-requests, which filters by scope).
      return { kind: 'administration' };
  }
}

/** Whether a reader with `scope` may see an event. */
export function scopeSees(scope: EnvironmentScope, event: Pick<EventEnvelope, 'aggregateType' | 'aggregateId' | 'type' | 'data'>): boolean {
  if (scope === '*') return true;
  const reach = eventReach(event);
  if (reach.kind === 'global') return true;
  if (reach.kind === 'administration') return false;
  return scope.includes(reach.environment);
}

/**
 * The same rule as SQL over `audit_trail` (alias `a`), for filtering in the database. The
 * parameter `:scope` must be bound to the list of environments.
 */
export const AUDIT_SCOPE_SQL = `(
  (a.aggregate_type = 'environment' AND substr(a.aggregate_id, 13) = ANY(:scope))
  OR (a.aggregate_type = 'segment' AND split_part(substr(a.aggregate_id, 9), '/', 1) = ANY(:scope))
  OR (a.aggregate_type = 'approvalPolicy' AND substr(a.aggregate_id, 17) = ANY(:scope))
  OR (a.aggregate_type = 'flag' AND (a.event_type NOT IN ('FlagEnvironmentConfigured', 'FlagToggled') OR a.payload->'data'->>'environment' = ANY(:scope)))
)`;

/** A flag as a scoped reader may see it: only the environments in scope. */
export function flagInScope(flag: FlagState, scope: EnvironmentScope): FlagState {
  if (scope === '*' || flag.status === 'absent') return flag;
  const environments = Object.fromEntries(Object.entries(flag.environments).filter(([env]) => scope.includes(env)));
  return { ...flag, environments };
}

/** Environment keys in scope, from a list of candidates. */
export function environmentsInScope(environments: readonly string[], scope: EnvironmentScope): string[] {
  return scope === '*' ? [...environments] : environments.filter((e) => scope.includes(e));
}
