import { isDeepStrictEqual } from 'node:util';
import { validateSegment } from '@flagpole/evaluation';
import { assertNever } from '../shared/assert-never';
import type { DecisionContext } from '../shared/decider.types';
import { DomainError, throwIfProblems } from '../shared/domain-error';
import { fromEvaluationProblems } from '../shared/evaluation-problems';
import { checkExpectedVersion } from '../shared/expected-version';
import { checkEnvironmentKey, checkKey, checkText } from '../shared/keys';
import type { Problem } from '../shared/problem.types';
import type { CreateSegment, SegmentCommand, UpdateSegment } from './segment.commands';
import type { SegmentEvent, SegmentRules } from './segment.events';
import type { SegmentState } from './segment.state';

export function decideSegment(command: SegmentCommand, state: SegmentState, ctx: DecisionContext): readonly SegmentEvent[] {
  const { environment, key } = command.data;
  throwIfProblems([...checkEnvironmentKey(environment, 'environment'), ...checkKey(key, 'key')]);
  if (!ctx.environmentExists(environment)) throw DomainError.notFound(`environment "${environment}"`);
  switch (command.type) {
    case 'CreateSegment': {
      const rules = validRules(command);
      if (state.status === 'active') throw new DomainError('already_exists', `segment "${key}" already exists in "${environment}"`, [], state.version);
      checkExpectedVersion(command.meta, state.version);
      return [{ type: 'SegmentCreated', data: { environment, key, name: command.data.name, description: command.data.description ?? '', rules } }];
    }
    case 'UpdateSegment': {
      const rules = validRules(command);
      if (state.status !== 'active') throw DomainError.notFound(`segment "${key}" in "${environment}"`);
      checkExpectedVersion(command.meta, state.version);
      const data = { name: command.data.name, description: command.data.description ?? '', rules };
      if (isDeepStrictEqual(data, { name: state.name, description: state.description, rules: state.rules })) return [];
      return [{ type: 'SegmentUpdated', data }];
    }
    case 'DeleteSegment': {
      if (state.status !== 'active') throw DomainError.notFound(`segment "${key}" in "${environment}"`);
      const users = ctx.flagsUsingSegment(environment, key);
      if (users.length > 0) {
        throw new DomainError(
          'in_use',
          `segment "${key}" is used by ${users.map((u) => `"${u}"`).join(', ')} in "${environment}"`,
          users.map((u) => ({ field: 'key', problem: `is used by flag "${u}"` })),
          state.version,
        );
      }
      checkExpectedVersion(command.meta, state.version);
      return [{ type: 'SegmentDeleted', data: {} }];
    }
    default:
      return assertNever(command, 'segment command');
  }
}

function validRules(command: CreateSegment | UpdateSegment): SegmentRules {
  const { name, description, rules, key } = command.data;
  const problems: Problem[] = [...checkText(name, 'name', 200, true), ...checkText(description, 'description', 2000, false)];
  if (typeof rules !== 'object' || rules === null || Array.isArray(rules)) {
    problems.push({ field: 'rules', problem: 'must be an object with included, excluded, attribute and/or condition' });
  } else {
    // The key lives next to the rules; one inside them would be stored and shadow it downstream.
    if (Object.hasOwn(rules, 'key')) problems.push({ field: 'rules.key', problem: 'unknown property' });
    problems.push(...fromEvaluationProblems(validateSegment({ ...rules, key }), 'rules'));
  }
  throwIfProblems(problems);
  return rules as SegmentRules;
}

export function evolveSegment(state: SegmentState, event: SegmentEvent): SegmentState {
  const version = state.version + 1;
  switch (event.type) {
    case 'SegmentCreated':
      return { status: 'active', version, ...event.data };
    case 'SegmentUpdated':
      if (state.status !== 'active') return { ...state, version };
      return { ...state, version, ...event.data };
    case 'SegmentDeleted':
      return { status: 'deleted', version };
    default:
      return assertNever(event, 'segment event');
  }
}
