import { referencedSegments } from '@flagpole/evaluation';
import type { DecisionContext, PrerequisiteUse } from '../shared/decider.types';
import { aggregateIds } from '../events/event-envelope.types';
import type { ExistingFlag } from '../flag/flag.state';
import type { FlagpoleState } from './flagpole-state';

function* activeFlags(state: FlagpoleState): Generator<ExistingFlag> {
  for (const flag of state.flags()) if (flag.status === 'active') yield flag;
}

/** Answers deciders' cross-aggregate questions from the writer's in-memory state. */
export function decisionContextOf(state: FlagpoleState): DecisionContext {
  return {
    environmentExists: (key) => state.environment(aggregateIds.environment(key)).status === 'active',
    environmentKeys: () => [...state.environments()].flatMap((e) => (e.status === 'active' ? [e.key] : [])),
    flagExists: (key) => state.flag(aggregateIds.flag(key)).status === 'active',
    flagVariantNames: (key) => {
      const flag = state.flag(aggregateIds.flag(key));
      return flag.status === 'active' ? Object.keys(flag.variants) : undefined;
    },
    segmentExists: (environment, key) => state.segment(aggregateIds.segment(environment, key)).status === 'active',
    flagsUsingSegment: (environment, segmentKey) => {
      const users: string[] = [];
      for (const flag of activeFlags(state)) {
        const config = flag.environments[environment];
        if (config && referencedSegments(config).includes(segmentKey)) users.push(flag.key);
      }
      return users;
    },
    prerequisiteEdges: (environment) => {
      const edges = new Map<string, readonly string[]>();
      for (const flag of activeFlags(state)) {
        const prerequisites = flag.environments[environment]?.prerequisites ?? [];
        if (prerequisites.length > 0) edges.set(flag.key, prerequisites.map((p) => p.flag));
      }
      return edges;
    },
    prerequisiteUses: (flagKey) => {
      const uses: PrerequisiteUse[] = [];
      for (const flag of activeFlags(state)) {
        for (const [environment, config] of Object.entries(flag.environments)) {
          for (const p of config.prerequisites ?? []) if (p.flag === flagKey) uses.push({ flag: flag.key, environment, variants: p.variants });
        }
      }
      return uses;
    },
    flagsDependingOn: (flagKey) => {
      const dependents: string[] = [];
      for (const flag of activeFlags(state)) {
        const names = Object.values(flag.environments).some((c) => (c.prerequisites ?? []).some((p) => p.flag === flagKey));
        if (names) dependents.push(flag.key);
      }
      return dependents;
    },
  };
}
