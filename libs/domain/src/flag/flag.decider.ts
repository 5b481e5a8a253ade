import { isDeepStrictEqual } from 'node:util';
import {
  findPrerequisiteCycle,
  validateEnvironmentConfig,
  type FlagEnvironmentConfig,
  type FlagType,
} from '@flagpole/evaluation';
import { assertNever } from '../shared/assert-never';
import type { DecisionContext } from '../shared/decider.types';
import { DomainError, throwIfProblems } from '../shared/domain-error';
import { fromEvaluationProblems } from '../shared/evaluation-problems';
import { checkExpectedVersion } from '../shared/expected-version';
import { checkEnvironmentKey, checkKey } from '../shared/keys';
import type { Problem } from '../shared/problem.types';
import type {
  ArchiveFlag,
  ConfigureFlagEnvironment,
  CreateFlag,
  FlagCommand,
  RestoreFlag,
  SetFlagVariants,
  ToggleFlag,
  UpdateFlagMetadata,
} from './flag.commands';
import type { FlagEvent } from './flag.events';
import { environmentConfigOf, type ExistingFlag, type FlagState } from './flag.state';
import type { FlagMetadata } from './flag.types';
import {
  checkMetadataFields,
  checkType,
  defaultExpiry,
  isFlagKind,
  normaliseExpiry,
  resolveVariants,
  variantsOrDefault,
} from './flag.validation';

export function decideFlag(command: FlagCommand, state: FlagState, ctx: DecisionContext): readonly FlagEvent[] {
  switch (command.type) {
    case 'CreateFlag':
      return createFlag(command, state);
    case 'UpdateFlagMetadata':
      return updateMetadata(command, existing(state, command.data.key));
    case 'SetFlagVariants':
      return setVariants(command, active(state, command.data.key), ctx);
    case 'ConfigureFlagEnvironment':
      return configureEnvironment(command, active(state, command.data.key), ctx);
    case 'ToggleFlag':
      return toggle(command, active(state, command.data.key), ctx);
    case 'ArchiveFlag':
      return archive(command, active(state, command.data.key), ctx);
    case 'RestoreFlag':
      return restore(command, state, ctx);
    default:
      return assertNever(command, 'flag command');
  }
}

function createFlag(command: CreateFlag, state: FlagState): readonly FlagEvent[] {
  const d = command.data;
  const problems: Problem[] = [...checkKey(d.key, 'key'), ...checkMetadataFields(d, true)];
  const type = (d.type ?? 'boolean') as FlagType;
  problems.push(...checkType(type));
  const { problems: variantProblems, resolved } =
    problems.some((p) => p.field === 'type') ? { problems: [], resolved: undefined } : resolveVariants(type, variantsOrDefault(type, d.variants), d.onVariant, d.offVariant);
  problems.push(...variantProblems);
  throwIfProblems(problems);
  if (state.status !== 'absent') throw new DomainError('already_exists', `flag "${d.key}" already exists`, [], state.version);
  checkExpectedVersion(command.meta, state.version);
  const kind = isFlagKind(d.kind) ? d.kind : 'release';
  const r = resolved!;
  return [
    {
      type: 'FlagCreated',
      data: {
        key: d.key,
        type,
        variants: r.variants,
        onVariant: r.onVariant,
        offVariant: r.offVariant,
        name: d.name,
        description: d.description ?? '',
        kind,
        owner: d.owner ?? command.meta.actor.id,
        tags: (d.tags as readonly string[] | undefined) ?? [],
        expiresAt: d.expiresAt === undefined ? defaultExpiry(kind, command.meta.now) : normaliseExpiry(d.expiresAt),
      },
    },
  ];
}

function updateMetadata(command: UpdateFlagMetadata, flag: ExistingFlag): readonly FlagEvent[] {
  const { key: _key, ...fields } = command.data;
  throwIfProblems(checkMetadataFields(fields, false));
  checkExpectedVersion(command.meta, flag.version);
  const changes: Partial<Record<keyof FlagMetadata, unknown>> = {};
  for (const [field, value] of Object.entries(fields) as [keyof FlagMetadata, unknown][]) {
    // null means "not given" (as validation treats it), except for expiresAt where it means "never".
    if (value === undefined || (value === null && field !== 'expiresAt')) continue;
    const next = field === 'expiresAt' && value !== null ? normaliseExpiry(value as string) : value;
    if (!isDeepStrictEqual(flag.metadata[field], next)) changes[field] = next;
  }
  if (Object.keys(changes).length === 0) return [];
  return [{ type: 'FlagMetadataUpdated', data: { changes: changes as Partial<FlagMetadata> } }];
}

function setVariants(command: SetFlagVariants, flag: ExistingFlag, ctx: DecisionContext): readonly FlagEvent[] {
  const d = command.data;
  const { problems, resolved } = resolveVariants(flag.type, d.variants, d.onVariant ?? keepIfPresent(flag.onVariant, d.variants), d.offVariant ?? keepIfPresent(flag.offVariant, d.variants));
  throwIfProblems(problems);
  const r = resolved!;
  // Every configured environment must still be valid against the new variants.
  const envProblems = Object.entries(flag.environments).flatMap(([env, config]) =>
    fromEvaluationProblems(
      validateEnvironmentConfig({ key: flag.key, type: flag.type, variants: r.variants }, config, {
        segmentExists: (s) => ctx.segmentExists(env, s),
      }),
      `environments.${env}`,
    ),
  );
  throwIfProblems(envProblems, 'the new variants would break configured environments');
  // Flags that require one of our variants as a prerequisite would otherwise never be satisfied.
  const dependentProblems = ctx
    .prerequisiteUses(flag.key)
    .flatMap((use) => use.variants.filter((v) => !Object.hasOwn(r.variants, v)).map((v) => ({
      field: 'variants',
      problem: `flag "${use.flag}" needs variant "${v}" as a prerequisite in "${use.environment}"`,
    })));
  throwIfProblems(dependentProblems, 'the new variants would break prerequisites of other flags');
  checkExpectedVersion(command.meta, flag.version);
  if (isDeepStrictEqual(r, { variants: flag.variants, onVariant: flag.onVariant, offVariant: flag.offVariant })) return [];
  return [{ type: 'FlagVariantsSet', data: r }];
}

function keepIfPresent(name: string, variants: unknown): string | undefined {
  return typeof variants === 'object' && variants !== null && Object.hasOwn(variants, name) ? name : undefined;
}

function configureEnvironment(command: ConfigureFlagEnvironment, flag: ExistingFlag, ctx: DecisionContext): readonly FlagEvent[] {
  const { environment, config } = command.data;
  requireEnvironment(environment, ctx);
  const problems = fromEvaluationProblems(
    validateEnvironmentConfig(flag, config, { segmentExists: (s) => ctx.segmentExists(environment, s) }),
    'config',
  );
  throwIfProblems(problems);
  const valid = config as FlagEnvironmentConfig;
  throwIfProblems(checkPrerequisites(flag.key, environment, valid, ctx, 'config'));
  checkExpectedVersion(command.meta, flag.version);
  if (isDeepStrictEqual(environmentConfigOf(flag, environment), valid)) return [];
  return [{ type: 'FlagEnvironmentConfigured', data: { environment, config: valid } }];
}

function checkPrerequisites(key: string, environment: string, config: FlagEnvironmentConfig, ctx: DecisionContext, prefix: string): Problem[] {
  const prerequisites = config.prerequisites ?? [];
  const problems: Problem[] = [];
  prerequisites.forEach((p, i) => {
    const field = `${prefix}.prerequisites[${i}]`;
    if (p.flag === key) return problems.push({ field: `${field}.flag`, problem: 'a flag cannot be its own prerequisite' });
    const names = ctx.flagVariantNames(p.flag);
    if (!names) return problems.push({ field: `${field}.flag`, problem: `flag "${p.flag}" does not exist or is archived` });
    p.variants.forEach((v, j) => {
      if (!names.includes(v)) problems.push({ field: `${field}.variants[${j}]`, problem: `flag "${p.flag}" has no variant "${v}"` });
    });
    return problems.length;
  });
  if (problems.length > 0) return problems;
  const edges = new Map(ctx.prerequisiteEdges(environment));
  edges.set(key, prerequisites.map((p) => p.flag));
  const cycle = findPrerequisiteCycle(edges);
  return cycle ? [{ field: `${prefix}.prerequisites`, problem: `would create a prerequisite cycle: ${cycle.join(' → ')}` }] : [];
}

function toggle(command: ToggleFlag, flag: ExistingFlag, ctx: DecisionContext): readonly FlagEvent[] {
  const { environment, on } = command.data;
  throwIfProblems(typeof on === 'boolean' ? [] : [{ field: 'on', problem: 'must be a boolean' }]);
  requireEnvironment(environment, ctx);
  checkExpectedVersion(command.meta, flag.version);
  // Flipping a kill switch to where it already is changes nothing, so retries are safe.
  if (environmentConfigOf(flag, environment).on === on) return [];
  return [{ type: 'FlagToggled', data: { environment, on } }];
}

function archive(command: ArchiveFlag, flag: ExistingFlag, ctx: DecisionContext): readonly FlagEvent[] {
  const dependents = ctx.flagsDependingOn(flag.key);
  if (dependents.length > 0) {
    throw new DomainError(
      'in_use',
      `flag "${flag.key}" is a prerequisite of ${dependents.map((k) => `"${k}"`).join(', ')}; remove those prerequisites first`,
      dependents.map((k) => ({ field: 'key', problem: `is a prerequisite of flag "${k}"` })),
      flag.version,
    );
  }
  checkExpectedVersion(command.meta, flag.version);
  return [{ type: 'FlagArchived', data: {} }];
}

function restore(command: RestoreFlag, state: FlagState, ctx: DecisionContext): readonly FlagEvent[] {
  if (state.status === 'absent') throw DomainError.notFound(`flag "${command.data.key}"`);
  if (state.status !== 'archived') throw new DomainError('invalid_state', `flag "${command.data.key}" is not archived`, [], state.version);
  // Segments and prerequisite flags may have gone while the flag was archived; a restored flag
  // must not come back pointing at things that no longer exist.
  const problems = Object.entries(state.environments).flatMap(([env, config]) => [
    ...fromEvaluationProblems(validateEnvironmentConfig(state, config, { segmentExists: (s) => ctx.segmentExists(env, s) }), `environments.${env}`),
    ...(ctx.environmentExists(env) ? checkPrerequisites(state.key, env, config, ctx, `environments.${env}`) : []),
  ]);
  throwIfProblems(problems, 'the flag refers to segments or flags that no longer exist; fix its configuration first');
  checkExpectedVersion(command.meta, state.version);
  return [{ type: 'FlagRestored', data: {} }];
}

function requireEnvironment(environment: string, ctx: DecisionContext): void {
  throwIfProblems(checkEnvironmentKey(environment, 'environment'));
  if (!ctx.environmentExists(environment)) throw DomainError.notFound(`environment "${environment}"`);
}

function existing(state: FlagState, key: string): ExistingFlag {
  if (state.status === 'absent') throw DomainError.notFound(`flag "${key}"`);
  return state;
}

function active(state: FlagState, key: string): ExistingFlag {
  const flag = existing(state, key);
  if (flag.status === 'archived') {
    throw new DomainError('invalid_state', `flag "${key}" is archived; restore it first`, [], flag.version);
  }
  return flag;
}

export function evolveFlag(state: FlagState, event: FlagEvent): FlagState {
  const version = state.version + 1;
  switch (event.type) {
    case 'FlagCreated': {
      const { key, type, variants, onVariant, offVariant, ...metadata } = event.data;
      return { status: 'active', version, key, type, variants, onVariant, offVariant, metadata, environments: {} };
    }
    case 'FlagMetadataUpdated': {
      const flag = existing(state, '?');
      return { ...flag, version, metadata: { ...flag.metadata, ...event.data.changes } };
    }
    case 'FlagVariantsSet':
      return { ...existing(state, '?'), version, ...event.data };
    case 'FlagEnvironmentConfigured': {
      const flag = existing(state, '?');
      return { ...flag, version, environments: { ...flag.environments, [event.data.environment]: event.data.config } };
    }
    case 'FlagToggled': {
      const flag = existing(state, '?');
      const config = { ...environmentConfigOf(flag, event.data.environment), on: event.data.on };
      return { ...flag, version, environments: { ...flag.environments, [event.data.environment]: config } };
    }
    case 'FlagArchived':
      return { ...existing(state, '?'), version, status: 'archived' };
    case 'FlagRestored':
      return { ...existing(state, '?'), version, status: 'active' };
    default:
      return assertNever(event, 'flag event');
  }
}
