import { foldUnleashDelta } from './delta';
import type {
  Problem,
  UnleashConstraint,
  UnleashDependency,
  UnleashFeature,
  UnleashOverride,
  UnleashPayload,
  UnleashSegment,
  UnleashStrategy,
  UnleashVariant,
  UnleashVariantPayload,
} from './unleash.types';

/**
 * Narrows an untrusted Unleash payload into the typed shapes. Lenient where the Unleash SDKs
 * are lenient (missing optional arrays are empty), and every repair is reported as a problem.
 * Accepts a full client-features response (`{ features, segments }`) or a delta response
 * (`{ events }`), which is folded into a full one first, as the SDKs do.
 */
export function parseUnleashPayload(input: unknown): { payload: UnleashPayload; problems: Problem[] } {
  const problems: Problem[] = [];
  const empty: UnleashPayload = { features: [] };
  if (!isRecord(input)) {
    problems.push({ severity: 'error', path: '', problem: 'must be an Unleash client-features object' });
    return { payload: empty, problems };
  }
  let raw: Record<string, unknown> = input;
  if (Array.isArray(input.events)) {
    const folded = foldUnleashDelta(input.events);
    problems.push(...folded.problems);
    raw = { features: folded.features, segments: folded.segments };
  } else if (!Array.isArray(input.features)) {
    problems.push({ severity: 'error', path: 'features', problem: 'must be an array (or give `events` for a delta)' });
    return { payload: empty, problems };
  }
  const features: UnleashFeature[] = [];
  const seen = new Set<string>();
  (raw.features as unknown[]).forEach((f, i) => {
    const feature = parseFeature(f, `features[${i}]`, problems);
    if (!feature) return;
    if (seen.has(feature.name)) {
      // The SDKs keep the last one (they build a map by name).
      problems.push({ severity: 'warning', path: `features[${i}].name`, problem: `repeats "${feature.name}"; the last one wins` });
      const at = features.findIndex((x) => x.name === feature.name);
      features.splice(at, 1);
    }
    seen.add(feature.name);
    features.push(feature);
  });
  const segments: UnleashSegment[] = [];
  if (raw.segments !== undefined && raw.segments !== null) {
    if (!Array.isArray(raw.segments)) {
      problems.push({ severity: 'error', path: 'segments', problem: 'must be an array' });
    } else {
      raw.segments.forEach((s, i) => {
        const segment = parseSegment(s, `segments[${i}]`, problems);
        if (segment) segments.push(segment);
      });
    }
  }
  const version = typeof input.version === 'number' ? input.version : undefined;
  return { payload: { version, features, segments }, problems };
}

function parseFeature(input: unknown, path: string, problems: Problem[]): UnleashFeature | undefined {
  if (!isRecord(input)) {
    problems.push({ severity: 'error', path, problem: 'must be an object; skipped' });
    return undefined;
  }
  if (typeof input.name !== 'string' || input.name === '') {
    problems.push({ severity: 'error', path: `${path}.name`, problem: 'must be a non-empty string; feature skipped' });
    return undefined;
  }
  if (typeof input.enabled !== 'boolean') {
    problems.push({ severity: 'warning', path: `${path}.enabled`, problem: 'is not a boolean; read as its truthiness' });
  }
  let strategies: UnleashStrategy[] | undefined;
  if (Array.isArray(input.strategies)) {
    strategies = [];
    input.strategies.forEach((s, i) => {
      const strategy = parseStrategy(s, `${path}.strategies[${i}]`, problems);
      if (strategy) strategies?.push(strategy);
    });
  } else {
    problems.push({
      severity: 'error',
      path: `${path}.strategies`,
      problem: 'is not an array; Unleash evaluates such a feature as disabled, and so will Flagpole',
    });
  }
  const variants = parseVariants(input.variants, `${path}.variants`, problems);
  let dependencies: UnleashDependency[] | undefined;
  if (Array.isArray(input.dependencies)) {
    dependencies = [];
    input.dependencies.forEach((d, i) => {
      const dependency = parseDependency(d, `${path}.dependencies[${i}]`, problems);
      if (dependency) dependencies?.push(dependency);
    });
  } else if (input.dependencies !== undefined && input.dependencies !== null) {
    problems.push({ severity: 'error', path: `${path}.dependencies`, problem: 'must be an array; ignored' });
  }
  if (Array.isArray(input.segments) && input.segments.length > 0) {
    problems.push({
      severity: 'warning',
      path: `${path}.segments`,
      problem: 'feature-level segments are ignored by Unleash SDKs (only strategy segments count); ignored',
    });
  }
  return {
    name: input.name,
    enabled: Boolean(input.enabled),
    strategies,
    variants,
    dependencies,
    description: typeof input.description === 'string' ? input.description : undefined,
  };
}

function parseStrategy(input: unknown, path: string, problems: Problem[]): UnleashStrategy | undefined {
  if (!isRecord(input) || typeof input.name !== 'string') {
    problems.push({ severity: 'error', path, problem: 'must be an object with a string `name`; skipped (never matches)' });
    return undefined;
  }
  const parameters: Record<string, unknown> = isRecord(input.parameters) ? { ...input.parameters } : {};
  if (input.parameters !== undefined && input.parameters !== null && !isRecord(input.parameters)) {
    problems.push({ severity: 'warning', path: `${path}.parameters`, problem: 'is not an object; read as {}' });
  }
  const constraints = parseConstraints(input.constraints, `${path}.constraints`, problems);
  let segments: number[] | undefined;
  if (Array.isArray(input.segments)) {
    segments = input.segments.map((id, i) => {
      if (typeof id !== 'number') {
        problems.push({ severity: 'warning', path: `${path}.segments[${i}]`, problem: 'is not a number' });
      }
      return Number(id);
    });
  }
  const variants = parseVariants(input.variants, `${path}.variants`, problems);
  return { name: input.name, parameters, constraints, segments, variants };
}

export function parseConstraints(input: unknown, path: string, problems: Problem[]): UnleashConstraint[] {
  if (input === undefined || input === null) return [];
  if (!Array.isArray(input)) {
    problems.push({ severity: 'error', path, problem: 'must be an array; read as one constraint that never holds' });
    return [malformedConstraint()];
  }
  return input.map((c, i) => parseConstraint(c, `${path}[${i}]`, problems));
}

function parseConstraint(input: unknown, path: string, problems: Problem[]): UnleashConstraint {
  if (!isRecord(input)) {
    // Unleash: a missing constraint makes the strategy false.
    problems.push({ severity: 'error', path, problem: 'must be an object; it never holds' });
    return malformedConstraint();
  }
  const values = Array.isArray(input.values) ? input.values : [];
  return {
    contextName: String(input.contextName),
    operator: typeof input.operator === 'string' ? input.operator : String(input.operator),
    values,
    value: input.value,
    inverted: input.inverted === true,
    caseInsensitive: input.caseInsensitive === true,
  };
}

function malformedConstraint(): UnleashConstraint {
  return { contextName: '', operator: '', values: [], inverted: false, caseInsensitive: false };
}

function parseVariants(input: unknown, path: string, problems: Problem[]): UnleashVariant[] | undefined {
  if (input === undefined || input === null) return undefined;
  if (!Array.isArray(input)) {
    problems.push({ severity: 'error', path, problem: 'must be an array; ignored' });
    return undefined;
  }
  const variants: UnleashVariant[] = [];
  input.forEach((v, i) => {
    const at = `${path}[${i}]`;
    if (!isRecord(v) || typeof v.name !== 'string') {
      problems.push({ severity: 'error', path: at, problem: 'must be an object with a string `name`; skipped' });
      return;
    }
    const weight = Number(v.weight);
    if (typeof v.weight !== 'number' || !Number.isInteger(weight) || weight < 0) {
      problems.push({ severity: 'error', path: `${at}.weight`, problem: 'must be a non-negative integer; variant skipped' });
      return;
    }
    let payload: UnleashVariantPayload | undefined;
    if (isRecord(v.payload)) {
      payload = { type: String(v.payload.type), value: typeof v.payload.value === 'string' ? v.payload.value : JSON.stringify(v.payload.value) };
      if (typeof v.payload.value !== 'string') {
        problems.push({ severity: 'warning', path: `${at}.payload.value`, problem: 'is not a string; stored as its JSON text' });
      }
    }
    let overrides: UnleashOverride[] | undefined;
    if (Array.isArray(v.overrides)) {
      overrides = [];
      v.overrides.forEach((o, j) => {
        if (!isRecord(o) || typeof o.contextName !== 'string' || !Array.isArray(o.values)) {
          problems.push({ severity: 'error', path: `${at}.overrides[${j}]`, problem: 'must have `contextName` and `values`; skipped' });
          return;
        }
        overrides?.push({ contextName: o.contextName, values: o.values.map(String) });
      });
    }
    variants.push({
      name: v.name,
      weight,
      weightType: typeof v.weightType === 'string' ? v.weightType : undefined,
      stickiness: typeof v.stickiness === 'string' && v.stickiness !== '' ? v.stickiness : undefined,
      payload,
      overrides,
    });
  });
  return variants;
}

function parseDependency(input: unknown, path: string, problems: Problem[]): UnleashDependency | undefined {
  if (!isRecord(input) || typeof input.feature !== 'string') {
    problems.push({ severity: 'error', path, problem: 'must be an object with a string `feature`; read as never satisfied' });
    return { feature: '', enabled: true };
  }
  const variants = Array.isArray(input.variants) ? input.variants.map(String) : undefined;
  return { feature: input.feature, enabled: input.enabled === false ? false : undefined, variants };
}

function parseSegment(input: unknown, path: string, problems: Problem[]): UnleashSegment | undefined {
  if (!isRecord(input) || typeof input.id !== 'number') {
    problems.push({ severity: 'error', path, problem: 'must be an object with a numeric `id`; skipped' });
    return undefined;
  }
  return {
    id: input.id,
    name: typeof input.name === 'string' ? input.name : undefined,
    constraints: parseConstraints(input.constraints, `${path}.constraints`, problems),
  };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
