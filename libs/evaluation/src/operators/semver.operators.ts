import type { SemVer } from 'semver';
import { parseSemver } from '../parse/semver.parse';
import { rememberLast } from '../parse/remember-last';
import type { OperatorDefinition } from './operator.types';

/** Compares by SemVer 2.0.0 precedence: -1, 0 or 1 (build metadata ignored). */
type PrecedenceTest = (comparison: number) => boolean;

function semverOperator(test: PrecedenceTest): OperatorDefinition {
  return {
    supportsCaseInsensitive: false,
    checkValue: (value) => (parseSemver(value) === undefined ? 'semver operator needs valid versions' : undefined),
    compile: (values) => {
      const versions = values.map((v) => parseSemver(v)).filter((v): v is SemVer => v !== undefined);
      const parseAttribute = rememberLast(parseSemver);
      return (attribute) => {
        const version = parseAttribute(attribute);
        if (version === undefined) return false;
        for (const value of versions) if (test(version.compare(value))) return true;
        return false;
      };
    },
  };
}

/** `semverEq`: same precedence (1.0.0+a equals 1.0.0+b). */
export const semverEqOperator = semverOperator((c) => c === 0);
/** `semverLt`: attribute precedes the value (1.0.0-rc.1 < 1.0.0). */
export const semverLtOperator = semverOperator((c) => c < 0);
/** `semverGt`: attribute follows the value. */
export const semverGtOperator = semverOperator((c) => c > 0);
