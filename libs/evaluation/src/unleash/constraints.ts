import ipaddr from 'ipaddr.js';
import { RE2JS } from 're2js';
import { valid as semverValid } from 'semver';
import type { Condition, Operator } from '../model/flag.types';
import { attributeFor } from './attributes';
import { and, clause, FALSE, not, or } from './conditions';
import type { Problem, UnleashConstraint } from './unleash.types';

/**
 * Unleash strategy constraints → Flagpole conditions, following the reference Node SDK
 * (`unleash-client/lib/strategy/strategy.js`) operator by operator:
 *
 * - list values are "cleaned" first (falsy entries dropped, the rest trimmed);
 * - `inverted` negates the operator's answer (so a missing context field + inverted = true);
 * - an unknown operator is false, inverted or not;
 * - `DATE_*` always compare `currentTime` (Unleash ignores `contextName` there);
 * - `SEMVER_LTE/GTE` become `lt ∨ eq` / `gt ∨ eq`; constraint values are normalised (`v1.2.3`
 *   → `1.2.3`, which node-semver accepts); context versions are parsed strictly by the engine,
 *   which, like Unleash, refuses a leading `v`;
 * - `caseInsensitive` only affects `STR_*` and `REGEX` (as in Unleash, not `IN`);
 * - constraint values that Unleash could never match (invalid regex, invalid date, invalid
 *   semver, unparseable number, invalid CIDR) become `false` here, with a warning.
 */
export function mapConstraint(constraint: UnleashConstraint, path: string, problems: Problem[]): Condition {
  const base = mapOperator(constraint, path, problems);
  if (base === undefined) {
    problems.push({
      severity: 'warning',
      path: `${path}.operator`,
      problem: `unknown operator ${JSON.stringify(constraint.operator)}; Unleash evaluates it as false (even inverted)`,
    });
    return FALSE;
  }
  return constraint.inverted ? not(base) : base;
}

export function mapConstraints(constraints: readonly UnleashConstraint[], path: string, problems: Problem[]): Condition {
  return and(constraints.map((c, i) => mapConstraint(c, `${path}[${i}]`, problems)));
}

const STRING_OPERATORS: Readonly<Record<string, Operator>> = {
  STR_STARTS_WITH: 'startsWith',
  STR_ENDS_WITH: 'endsWith',
  STR_CONTAINS: 'contains',
};

const NUMBER_OPERATORS: Readonly<Record<string, Operator>> = {
  NUM_EQ: 'eq',
  NUM_GT: 'gt',
  NUM_GTE: 'gte',
  NUM_LT: 'lt',
  NUM_LTE: 'lte',
};

/** The operator's own answer, before `inverted`; `undefined` for an unknown operator. */
function mapOperator(c: UnleashConstraint, path: string, problems: Problem[]): Condition | undefined {
  const field = attributeFor(c.contextName);
  switch (c.operator) {
    case 'IN':
    case 'NOT_IN': {
      const values = cleanValues(c.values);
      const isIn = values.length === 0 ? FALSE : clause(field, 'in', values);
      return c.operator === 'IN' ? isIn : not(isIn);
    }
    case 'STR_STARTS_WITH':
    case 'STR_ENDS_WITH':
    case 'STR_CONTAINS': {
      const values = cleanValues(c.values);
      if (values.length === 0) return FALSE;
      return clause(field, STRING_OPERATORS[c.operator], values, c.caseInsensitive);
    }
    case 'NUM_EQ':
    case 'NUM_GT':
    case 'NUM_GTE':
    case 'NUM_LT':
    case 'NUM_LTE': {
      const value = Number(c.value);
      if (!Number.isFinite(value)) {
        problems.push({ severity: 'warning', path: `${path}.value`, problem: `${JSON.stringify(c.value)} is not a number; never matches` });
        return FALSE;
      }
      return clause(field, NUMBER_OPERATORS[c.operator], [value]);
    }
    case 'DATE_AFTER':
    case 'DATE_BEFORE': {
      const date = toDate(c.value);
      if (date === undefined) {
        problems.push({ severity: 'warning', path: `${path}.value`, problem: `${JSON.stringify(c.value)} is not a date; never matches` });
        return FALSE;
      }
      if (c.contextName !== 'currentTime') {
        problems.push({
          severity: 'warning',
          path: `${path}.contextName`,
          problem: `date operators compare currentTime in Unleash whatever the contextName ("${c.contextName}"); so does the import`,
        });
      }
      return clause('currentTime', c.operator === 'DATE_AFTER' ? 'after' : 'before', [date]);
    }
    case 'SEMVER_EQ':
    case 'SEMVER_GT':
    case 'SEMVER_LT':
    case 'SEMVER_GTE':
    case 'SEMVER_LTE': {
      const version = typeof c.value === 'string' ? semverValid(c.value) : null;
      if (version === null) {
        problems.push({ severity: 'warning', path: `${path}.value`, problem: `${JSON.stringify(c.value)} is not a semantic version; never matches` });
        return FALSE;
      }
      const eq = clause(field, 'semverEq', [version]);
      const lt = clause(field, 'semverLt', [version]);
      const gt = clause(field, 'semverGt', [version]);
      const compare =
        c.operator === 'SEMVER_EQ' ? eq : c.operator === 'SEMVER_LT' ? lt : c.operator === 'SEMVER_GT' ? gt : c.operator === 'SEMVER_LTE' ? or([lt, eq]) : or([gt, eq]);
      // The engine's semver is strict (no "v", no spaces): Unleash also refuses a leading "v".
      return compare;
    }
    case 'REGEX': {
      const pattern = c.value;
      if (typeof pattern !== 'string' || !compiles(pattern, c.caseInsensitive)) {
        problems.push({ severity: 'warning', path: `${path}.value`, problem: `${JSON.stringify(pattern)} is not an RE2 regular expression; never matches` });
        return FALSE;
      }
      return clause(field, 'matches', [pattern], c.caseInsensitive);
    }
    case 'IN_CIDR': {
      const values = cleanValues(c.values);
      const ranges = values.map(toCidr).filter((r): r is string => r !== undefined);
      if (ranges.length < values.length) {
        problems.push({ severity: 'warning', path: `${path}.values`, problem: 'invalid addresses/ranges are ignored, as in Unleash' });
      }
      return ranges.length === 0 ? FALSE : clause(field, 'cidr', ranges);
    }
    default:
      return undefined;
  }
}

/** Unleash's `cleanValues`: drop falsy entries, trim the rest. */
export function cleanValues(values: readonly unknown[]): string[] {
  return values.filter((v) => !!v).map((v) => String(v).trim());
}

function toDate(value: unknown): string | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

function compiles(pattern: string, caseInsensitive: boolean): boolean {
  try {
    RE2JS.compile(pattern, caseInsensitive ? RE2JS.CASE_INSENSITIVE : 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * An address or range as Unleash's `ip-address` accepts it (strict dotted-quad IPv4, IPv6),
 * normalised to CIDR notation (a single address gets /32 or /128); `undefined` if invalid.
 */
export function toCidr(value: string): string | undefined {
  if (value.includes('/')) {
    if (ipaddr.IPv4.isValidCIDRFourPartDecimal(value)) return value;
    if (ipaddr.IPv6.isValidCIDR(value)) return value;
    return undefined;
  }
  if (ipaddr.IPv4.isValidFourPartDecimal(value)) return `${value}/32`;
  if (ipaddr.IPv6.isValid(value)) return `${value}/128`;
  return undefined;
}

/** Like {@link toCidr} but IPv4 only (the `remoteAddress` strategy only knows IPv4 ranges). */
export function toIPv4Cidr(value: string): string | undefined {
  if (value.includes('/')) return ipaddr.IPv4.isValidCIDRFourPartDecimal(value) ? value : undefined;
  return ipaddr.IPv4.isValidFourPartDecimal(value) ? `${value}/32` : undefined;
}

