import type { JsonValue } from '../model/flag.types';
import type { UnleashVariantPayload, UnleashVariantResult } from './unleash.types';

/**
 * Both Unleash answers for one context, which is what each variant value of an imported flag
 * records (see README "Flag shape"): `isEnabled` → `enabled`, `getVariant` → `variant`.
 */
export interface UnleashAnswer {
  readonly enabled: boolean;
  readonly variant: UnleashVariantResult;
}

/** Unleash's answer for a missing or disabled feature. */
export const DISABLED_ANSWER: UnleashAnswer = Object.freeze({
  enabled: false,
  variant: Object.freeze({ name: 'disabled', enabled: false, feature_enabled: false }),
});

/** An enabled feature without variants: enabled, and the `disabled` variant. */
export const ENABLED_NO_VARIANT_ANSWER: UnleashAnswer = Object.freeze({
  enabled: true,
  variant: Object.freeze({ name: 'disabled', enabled: false, feature_enabled: true }),
});

export function variantAnswer(name: string, payload: UnleashVariantPayload | undefined): UnleashAnswer {
  const variant: UnleashVariantResult = payload
    ? { name, enabled: true, payload: { type: payload.type, value: payload.value }, feature_enabled: true }
    : { name, enabled: true, feature_enabled: true };
  return { enabled: true, variant };
}

/** The JSON value stored as a Flagpole variant (fixed key order, so equal answers serialise equally). */
export function answerToJson(answer: UnleashAnswer): JsonValue {
  const v = answer.variant;
  const variant: Record<string, JsonValue> = { name: v.name, enabled: v.enabled };
  if (v.payload) variant.payload = { type: v.payload.type, value: v.payload.value };
  variant.feature_enabled = v.feature_enabled;
  return { enabled: answer.enabled, variant };
}

/** Reads a served value back; anything that is not an imported answer reads as disabled. */
export function answerFromJson(value: unknown): UnleashAnswer {
  if (!isRecord(value) || typeof value.enabled !== 'boolean' || !isRecord(value.variant)) return DISABLED_ANSWER;
  const v = value.variant;
  if (typeof v.name !== 'string' || typeof v.enabled !== 'boolean') return DISABLED_ANSWER;
  const featureEnabled = typeof v.feature_enabled === 'boolean' ? v.feature_enabled : value.enabled;
  const payload =
    isRecord(v.payload) && typeof v.payload.type === 'string' && typeof v.payload.value === 'string'
      ? { type: v.payload.type, value: v.payload.value }
      : undefined;
  const variant: UnleashVariantResult = payload
    ? { name: v.name, enabled: v.enabled, payload, feature_enabled: featureEnabled }
    : { name: v.name, enabled: v.enabled, feature_enabled: featureEnabled };
  return { enabled: value.enabled, variant };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
