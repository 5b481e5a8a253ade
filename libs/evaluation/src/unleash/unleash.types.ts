/**
 * The parts of Unleash's client API (`GET /api/client/features`, and the delta stream that
 * carries the same objects) the importer reads. Field names are Unleash's; only what changes
 * evaluation is modelled. The parser (`parse.ts`) turns `unknown` into these shapes.
 */

export interface UnleashPayload {
  readonly version?: number;
  readonly features: readonly UnleashFeature[];
  readonly segments?: readonly UnleashSegment[];
}

export interface UnleashFeature {
  readonly name: string;
  readonly enabled: boolean;
  /** `undefined` when the payload carried something that is not an array (Unleash: disabled). */
  readonly strategies: readonly UnleashStrategy[] | undefined;
  readonly variants?: readonly UnleashVariant[];
  readonly dependencies?: readonly UnleashDependency[];
  readonly description?: string;
}

export interface UnleashStrategy {
  readonly name: string;
  readonly parameters: Readonly<Record<string, unknown>>;
  readonly constraints: readonly UnleashConstraint[];
  readonly segments?: readonly number[];
  readonly variants?: readonly UnleashVariant[];
}

export interface UnleashConstraint {
  readonly contextName: string;
  readonly operator: string;
  readonly values: readonly unknown[];
  readonly value?: unknown;
  readonly inverted: boolean;
  readonly caseInsensitive: boolean;
}

export interface UnleashVariantPayload {
  readonly type: string;
  readonly value: string;
}

export interface UnleashOverride {
  readonly contextName: string;
  readonly values: readonly string[];
}

export interface UnleashVariant {
  readonly name: string;
  readonly weight: number;
  /** `fix` or `variable`: how the server spread the weights; the client uses them as given. */
  readonly weightType?: string;
  readonly stickiness?: string;
  readonly payload?: UnleashVariantPayload;
  readonly overrides?: readonly UnleashOverride[];
}

export interface UnleashDependency {
  readonly feature: string;
  readonly enabled?: boolean;
  readonly variants?: readonly string[];
}

export interface UnleashSegment {
  readonly id: number;
  readonly name?: string;
  readonly constraints: readonly UnleashConstraint[];
}

/** What an Unleash SDK hands the application from `getVariant`. */
export interface UnleashVariantResult {
  readonly name: string;
  readonly enabled: boolean;
  readonly payload?: UnleashVariantPayload;
  readonly feature_enabled: boolean;
}

/** Something the importer could not carry over exactly, or had to interpret. */
export interface Problem {
  /** `error`: the input is malformed here; `warning`: imported, but read the message. */
  readonly severity: 'error' | 'warning';
  /** Where in the payload, e.g. `features[3].strategies[0].constraints[1]`. */
  readonly path: string;
  readonly problem: string;
}
