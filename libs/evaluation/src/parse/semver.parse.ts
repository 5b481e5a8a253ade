import { SemVer } from 'semver';

// The grammar from semver.org, anchored: no leading "v", no "=", no surrounding whitespace, so that
// every SDK accepts exactly the same strings (node-semver alone would be more lenient).
const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

const MAX_SEMVER_LENGTH = 256;

/** A strict SemVer 2.0.0 string parsed, or undefined for anything else. */
export function parseSemver(value: unknown): SemVer | undefined {
  if (typeof value !== 'string' || value.length > MAX_SEMVER_LENGTH || !SEMVER.test(value)) {
    return undefined;
  }
  try {
    return new SemVer(value);
  } catch {
    // Numeric parts above Number.MAX_SAFE_INTEGER pass the grammar but not node-semver.
    return undefined;
  }
}
