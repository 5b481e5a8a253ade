import type { Problem } from './unleash.types';

/**
 * Folds an Unleash delta stream (`{ events: [...] }`, the `delta` client API) into the full
 * client-features shape, applying events in order exactly as the Unleash SDK repository does:
 * `hydration` replaces everything, `feature-updated`/`feature-removed` upsert/delete by feature
 * name, `segment-updated`/`segment-removed` upsert/delete by segment id. The transport (SSE,
 * polling, event ids) is not the importer's concern; the resulting state is.
 */
export function foldUnleashDelta(
  events: readonly unknown[],
  base?: { readonly features?: readonly unknown[]; readonly segments?: readonly unknown[] },
): { features: unknown[]; segments: unknown[]; problems: Problem[] } {
  const problems: Problem[] = [];
  let features = new Map<string, unknown>();
  let segments = new Map<number, unknown>();
  const loadFeatures = (list: readonly unknown[] | undefined): Map<string, unknown> => {
    const map = new Map<string, unknown>();
    for (const f of list ?? []) {
      if (isRecord(f) && typeof f.name === 'string') map.set(f.name, f);
    }
    return map;
  };
  const loadSegments = (list: readonly unknown[] | undefined): Map<number, unknown> => {
    const map = new Map<number, unknown>();
    for (const s of list ?? []) {
      if (isRecord(s) && typeof s.id === 'number') map.set(s.id, s);
    }
    return map;
  };
  features = loadFeatures(base?.features);
  segments = loadSegments(base?.segments);

  events.forEach((event, i) => {
    const path = `events[${i}]`;
    if (!isRecord(event)) {
      problems.push({ severity: 'error', path, problem: 'must be an object; skipped' });
      return;
    }
    switch (event.type) {
      case 'hydration':
        features = loadFeatures(Array.isArray(event.features) ? event.features : []);
        segments = loadSegments(Array.isArray(event.segments) ? event.segments : []);
        return;
      case 'feature-updated':
        if (isRecord(event.feature) && typeof event.feature.name === 'string') {
          features.set(event.feature.name, event.feature);
        } else {
          problems.push({ severity: 'error', path: `${path}.feature`, problem: 'must be a feature with a name; skipped' });
        }
        return;
      case 'feature-removed':
        if (typeof event.featureName === 'string') features.delete(event.featureName);
        else problems.push({ severity: 'error', path: `${path}.featureName`, problem: 'must be a string; skipped' });
        return;
      case 'segment-updated':
        if (isRecord(event.segment) && typeof event.segment.id === 'number') {
          segments.set(event.segment.id, event.segment);
        } else {
          problems.push({ severity: 'error', path: `${path}.segment`, problem: 'must be a segment with a numeric id; skipped' });
        }
        return;
      case 'segment-removed':
        if (typeof event.segmentId === 'number') segments.delete(event.segmentId);
        else problems.push({ severity: 'error', path: `${path}.segmentId`, problem: 'must be a number; skipped' });
        return;
      default:
        // The SDK warns and carries on; so do we.
        problems.push({ severity: 'warning', path: `${path}.type`, problem: `unknown event type ${JSON.stringify(event.type)}; skipped` });
    }
  });
  return { features: [...features.values()], segments: [...segments.values()], problems };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
