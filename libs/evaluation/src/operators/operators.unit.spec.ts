import type { FlagStore } from '../compile/compiled.types';
import { compileCondition } from '../compile/condition.compile';
import type { EvaluationContext } from '../model/context.types';
import type { Clause, JsonPrimitive, Operator } from '../model/flag.types';
import { validateEnvironmentConfig } from '../validation/environment.validation';

const emptyStore: FlagStore = { getFlag: () => undefined, getSegment: () => undefined };

function holds(clause: Clause, context: EvaluationContext, now?: number): boolean {
  return compileCondition(clause, { defaultSalt: 'f', allowSegments: true })(context, emptyStore, now);
}

function clause(operator: Operator, values: readonly JsonPrimitive[], caseInsensitive?: boolean): Clause {
  return { attribute: 'a', operator, values, ...(caseInsensitive === undefined ? {} : { caseInsensitive }) };
}

function valueProblems(c: Clause): string[] {
  const config = { on: true, offVariant: 'x', fallthrough: { variant: 'x' }, rules: [{ id: 'r', condition: c, serve: { variant: 'x' } }] };
  return validateEnvironmentConfig({ key: 'f', type: 'boolean', variants: { x: true } }, config).map((p) => `${p.path}: ${p.problem}`);
}

describe('in', () => {
  it('matches an equal string', () => expect(holds(clause('in', ['a', 'b']), { a: 'b' })).toBe(true));
  it('does not match another string', () => expect(holds(clause('in', ['a', 'b']), { a: 'c' })).toBe(false));
  it('is case-sensitive by default', () => expect(holds(clause('in', ['Beta']), { a: 'beta' })).toBe(false));
  it('folds case when caseInsensitive', () => expect(holds(clause('in', ['Beta'], true), { a: 'bETA' })).toBe(true));
  it('compares numbers strictly by type', () => {
    expect(holds(clause('in', [1]), { a: 1 })).toBe(true);
    expect(holds(clause('in', [1]), { a: '1' })).toBe(false);
    expect(holds(clause('in', ['1']), { a: 1 })).toBe(false);
  });
  it('compares booleans', () => expect(holds(clause('in', [true]), { a: true })).toBe(true));
  it('matches an array attribute when any element is in the values', () => {
    expect(holds(clause('in', ['staff']), { a: ['beta', 'staff'] })).toBe(true);
    expect(holds(clause('in', ['staff']), { a: ['beta'] })).toBe(false);
  });
  it('rejects object values at validation', () => {
    expect(valueProblems({ attribute: 'a', operator: 'in', values: [null] })).toEqual([
      'rules[0].condition.values[0]: in needs strings, numbers or booleans',
    ]);
  });
});

describe('startsWith / endsWith / contains', () => {
  it('startsWith matches a prefix', () => expect(holds(clause('startsWith', ['ab']), { a: 'abc' })).toBe(true));
  it('startsWith refuses a non-prefix', () => expect(holds(clause('startsWith', ['bc']), { a: 'abc' })).toBe(false));
  it('endsWith matches a suffix', () => expect(holds(clause('endsWith', ['@acme.com']), { a: 'x@acme.com' })).toBe(true));
  it('endsWith refuses a non-suffix', () => expect(holds(clause('endsWith', ['@acme.com']), { a: 'x@acme.org' })).toBe(false));
  it('contains matches a substring', () => expect(holds(clause('contains', ['ell']), { a: 'hello' })).toBe(true));
  it('contains refuses a missing substring', () => expect(holds(clause('contains', ['xyz']), { a: 'hello' })).toBe(false));
  it('folds case on both sides when caseInsensitive', () => {
    expect(holds(clause('endsWith', ['@ACME.com'], true), { a: 'X@acme.COM' })).toBe(true);
  });
  it('does not convert numbers to strings', () => expect(holds(clause('startsWith', ['4']), { a: 42 })).toBe(false));
  it('rejects non-string values at validation', () => {
    expect(valueProblems({ attribute: 'a', operator: 'contains', values: [4] })).toEqual([
      'rules[0].condition.values[0]: contains needs string values',
    ]);
  });
});

describe('matches', () => {
  it('finds the pattern anywhere (unanchored)', () => expect(holds(clause('matches', ['b+']), { a: 'abbc' })).toBe(true));
  it('honours anchors', () => expect(holds(clause('matches', ['^b']), { a: 'abc' })).toBe(false));
  it('is case-insensitive with the flag', () => expect(holds(clause('matches', ['^ABC$'], true), { a: 'abc' })).toBe(true));
  it('ignores non-strings', () => expect(holds(clause('matches', ['1']), { a: 1 })).toBe(false));
  it('runs a pathological pattern in linear time', () => {
    const started = process.hrtime.bigint();
    expect(holds(clause('matches', ['^(a+)+$']), { a: `${'a'.repeat(5000)}!` })).toBe(false);
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(1000);
  });
  it('rejects patterns RE2 cannot compile (backreferences, lookahead, syntax errors)', () => {
    for (const pattern of ['(a)\\1', '(?=a)', '(']) {
      expect(valueProblems({ attribute: 'a', operator: 'matches', values: [pattern] })[0]).toMatch(/invalid RE2 pattern/);
    }
  });
  it('rejects patterns longer than 1024 characters', () => {
    expect(valueProblems({ attribute: 'a', operator: 'matches', values: ['a'.repeat(1025)] })[0]).toMatch(/longer than 1024/);
  });
});

describe('numeric operators', () => {
  it.each([
    ['lt', 5, 4, true],
    ['lt', 5, 5, false],
    ['lte', 5, 5, true],
    ['lte', 5, 6, false],
    ['gt', 5, 6, true],
    ['gt', 5, 5, false],
    ['gte', 5, 5, true],
    ['gte', 5, 4, false],
    ['eq', 5, 5, true],
    ['eq', 5, 5.5, false],
  ] as const)('%s %d against %d is %s', (operator, value, attribute, expected) => {
    expect(holds(clause(operator, [value]), { a: attribute })).toBe(expected);
  });
  it('accepts numeric strings in JSON number grammar', () => {
    expect(holds(clause('eq', [1]), { a: '1.0' })).toBe(true);
    expect(holds(clause('gt', [100]), { a: '1e3' })).toBe(true);
    expect(holds(clause('lt', [0]), { a: '-0.5' })).toBe(true);
  });
  it('refuses strings outside the grammar and booleans', () => {
    for (const a of [' 1', '1 ', '0x10', '+1', 'Infinity', '1.', '.5', '', true]) expect(holds(clause('gte', [0]), { a })).toBe(false);
  });
  it('rejects non-number values at validation', () => {
    expect(valueProblems({ attribute: 'a', operator: 'lt', values: ['5'] })).toEqual(['rules[0].condition.values[0]: lt needs finite numbers']);
  });
});

describe('semver operators', () => {
  it('compares by SemVer precedence', () => {
    expect(holds(clause('semverLt', ['1.10.0']), { a: '1.9.0' })).toBe(true);
    expect(holds(clause('semverGt', ['1.10.0']), { a: '1.9.0' })).toBe(false);
    expect(holds(clause('semverLt', ['1.0.0']), { a: '1.0.0-rc.1' })).toBe(true);
    expect(holds(clause('semverEq', ['1.0.0']), { a: '1.0.0+build.5' })).toBe(true);
  });
  it('refuses a leading v and partial versions in the context', () => {
    expect(holds(clause('semverEq', ['1.0.0']), { a: 'v1.0.0' })).toBe(false);
    expect(holds(clause('semverEq', ['1.0.0']), { a: '1.0' })).toBe(false);
  });
  it('reports the brief example: semver operator needs valid versions', () => {
    expect(valueProblems({ attribute: 'a', operator: 'semverGt', values: ['1.2'] })).toEqual([
      'rules[0].condition.values[0]: semver operator needs valid versions',
    ]);
  });
});

describe('date operators', () => {
  const jan1 = Date.UTC(2024, 0, 1);
  it('compares ISO-8601 strings and epoch milliseconds', () => {
    expect(holds(clause('before', ['2024-01-01T00:00:00Z']), { a: '2023-12-31T23:59:59.999Z' })).toBe(true);
    expect(holds(clause('before', ['2024-01-01']), { a: jan1 })).toBe(false);
    expect(holds(clause('after', [jan1]), { a: '2024-01-01T01:00:00+02:00' })).toBe(false);
    expect(holds(clause('after', [jan1]), { a: '2024-01-01T01:00:00+00:30' })).toBe(true);
  });
  it('falls back to options.now for a currentTime absent from the context', () => {
    const c: Clause = { attribute: 'currentTime', operator: 'after', values: ['2024-01-01T00:00:00Z'] };
    expect(holds(c, {}, jan1 + 1)).toBe(true);
    expect(holds(c, {}, jan1)).toBe(false);
    expect(holds(c, {})).toBe(false);
    expect(holds(c, { currentTime: '2023-06-01T00:00:00Z' }, jan1 + 1)).toBe(false);
  });
  it('refuses dates without an offset and impossible dates', () => {
    expect(holds(clause('after', [0]), { a: '2024-01-01T00:00:00' })).toBe(false);
    expect(holds(clause('after', [0]), { a: '2023-02-29' })).toBe(false);
  });
  it('rejects invalid dates at validation', () => {
    expect(valueProblems({ attribute: 'a', operator: 'before', values: ['tomorrow'] })).toEqual([
      'rules[0].condition.values[0]: before needs ISO-8601 dates or epoch milliseconds',
    ]);
  });
});

describe('cidr', () => {
  it('matches addresses inside IPv4 and IPv6 ranges', () => {
    expect(holds(clause('cidr', ['10.0.0.0/8']), { a: '10.20.30.40' })).toBe(true);
    expect(holds(clause('cidr', ['10.0.0.0/8']), { a: '11.0.0.1' })).toBe(false);
    expect(holds(clause('cidr', ['2001:db8::/32']), { a: '2001:db8:1::1' })).toBe(true);
  });
  it('treats a bare address as a single host', () => expect(holds(clause('cidr', ['192.168.1.1']), { a: '192.168.1.1' })).toBe(true));
  it('unwraps IPv4-mapped IPv6 addresses', () => expect(holds(clause('cidr', ['10.0.0.0/8']), { a: '::ffff:10.1.2.3' })).toBe(true));
  it('never matches across families or garbage', () => {
    expect(holds(clause('cidr', ['::/0']), { a: '10.0.0.1' })).toBe(false);
    expect(holds(clause('cidr', ['0.0.0.0/0']), { a: 'localhost' })).toBe(false);
  });
  it('rejects invalid ranges at validation', () => {
    for (const value of ['10.0.0.0/33', '010.0.0.0/8', 'fe80::1%eth0', '10.0.0/8']) {
      expect(valueProblems({ attribute: 'a', operator: 'cidr', values: [value] })).toEqual([
        'rules[0].condition.values[0]: cidr needs CIDR ranges or IP addresses',
      ]);
    }
  });
});

describe('exists', () => {
  it('holds for any present value, including falsy ones and empty arrays', () => {
    for (const a of ['', 0, false, [], {}]) expect(holds(clause('exists', []), { a })).toBe(true);
  });
  it('does not hold for absent or null attributes', () => {
    expect(holds(clause('exists', []), {})).toBe(false);
    expect(holds(clause('exists', []), { a: null })).toBe(false);
  });
  it('takes no values', () => {
    expect(valueProblems({ attribute: 'a', operator: 'exists', values: ['x'] })).toEqual([
      'rules[0].condition.values: exists takes no values (negate it with not)',
    ]);
  });
});

describe('missing attributes', () => {
  it('make every value operator false, and not of them true', () => {
    const operators: [Operator, JsonPrimitive][] = [
      ['in', 'x'], ['startsWith', 'x'], ['endsWith', 'x'], ['contains', 'x'], ['matches', 'x'],
      ['lt', 1], ['lte', 1], ['gt', 1], ['gte', 1], ['eq', 1],
      ['semverEq', '1.0.0'], ['semverLt', '1.0.0'], ['semverGt', '1.0.0'],
      ['before', 0], ['after', 0], ['cidr', '0.0.0.0/0'],
    ];
    for (const [operator, value] of operators) {
      expect(holds(clause(operator, [value]), {})).toBe(false);
      expect(holds(clause(operator, [value]), { a: null })).toBe(false);
      const negated = { not: clause(operator, [value]) };
      expect(compileCondition(negated, { defaultSalt: 'f', allowSegments: true })({}, emptyStore, undefined)).toBe(true);
    }
  });
  it('resolves dotted paths through nested objects, own properties only', () => {
    const c: Clause = { attribute: 'user.address.country', operator: 'in', values: ['NZ'] };
    expect(holds(c, { user: { address: { country: 'NZ' } } })).toBe(true);
    expect(holds(c, { 'user.address.country': 'NZ' })).toBe(false);
    expect(holds({ attribute: 'constructor', operator: 'exists', values: [] }, {})).toBe(false);
    expect(holds({ attribute: 'a.length', operator: 'exists', values: [] }, { a: 'abc' })).toBe(false);
  });
});
