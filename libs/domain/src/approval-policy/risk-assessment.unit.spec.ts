import type { FlagEnvironmentConfig } from '@flagpole/evaluation';
import { command } from '../testing/decider-spec';
import type { ExistingFlag } from '../flag/flag.state';
import type { ApprovalPolicyState } from './approval-policy.state';
import { DEFAULT_APPROVAL_POLICY, NO_RISK_RULES, parseApprovalPolicy, policyRequiresApproval, type ApprovalPolicy, type RiskRules } from './approval-policy.types';
import { assessRisk, rolloutIncreases, type RiskRule } from './risk-assessment';

const flag = (overrides: Partial<ExistingFlag> = {}, metadata: Partial<ExistingFlag['metadata']> = {}): ExistingFlag => ({
  status: 'active',
  version: 3,
  key: 'checkout',
  type: 'boolean',
  variants: { on: true, off: false },
  onVariant: 'on',
  offVariant: 'off',
  metadata: { name: 'Checkout', description: '', kind: 'release', owner: 'ada', tags: ['checkout'], expiresAt: null, ...metadata },
  environments: {},
  ...overrides,
});

const policy = (rules: Partial<RiskRules>): { environment: string; policy: ApprovalPolicy } => ({
  environment: 'production',
  policy: { ...DEFAULT_APPROVAL_POLICY, rules: { ...NO_RISK_RULES, ...rules } },
});

const rollout = (on: number): FlagEnvironmentConfig['fallthrough'] => ({
  rollout: { variants: [{ variant: 'on', weight: on * 1000 }, { variant: 'off', weight: 100_000 - on * 1000 }] },
});

const configured = (fallthroughOn: number, extra: Partial<FlagEnvironmentConfig> = {}): FlagEnvironmentConfig => ({
  on: true,
  offVariant: 'off',
  fallthrough: rollout(fallthroughOn),
  ...extra,
});

const rules = (reasons: readonly { rule: RiskRule }[]) => reasons.map((r) => r.rule);

const toggle = (on: boolean) => command('ToggleFlag', { key: 'checkout', environment: 'production', on });
const configure = (config: FlagEnvironmentConfig) => command('ConfigureFlagEnvironment', { key: 'checkout', environment: 'production', config });

describe('assessRisk', () => {
  it('finds nothing under a policy with every rule off', () => {
    expect(assessRisk(policy({}), toggle(true), flag())).toEqual([]);
    expect(policyRequiresApproval(DEFAULT_APPROVAL_POLICY)).toBe(false);
  });

  it('returns every reason that applies, each naming its rule, environment and what the change does', () => {
    const reasons = assessRisk(policy({ anyChange: true, toggles: true, flagKinds: ['release'], flagTags: ['checkout', 'critical'] }), toggle(true), flag());
    expect(reasons).toEqual([
      { rule: 'any_change', environment: 'production', field: 'rules.anyChange', problem: 'turns flag "checkout" on in "production"; every change in "production" needs approval' },
      { rule: 'toggle', environment: 'production', field: 'rules.toggles', problem: 'turns flag "checkout" on in "production"' },
      { rule: 'flag_kind', environment: 'production', field: 'rules.flagKinds', problem: 'flag "checkout" is a release flag' },
      { rule: 'flag_tag', environment: 'production', field: 'rules.flagTags', problem: 'flag "checkout" is tagged "checkout"' },
    ]);
  });

  it('finds nothing for a toggle to the state the flag is already in', () => {
    expect(assessRisk(policy({ anyChange: true, toggles: true }), toggle(false), flag())).toEqual([]);
  });

  it('sees a kill switch (turning off) as a toggle too', () => {
    const on = flag({ environments: { production: configured(10) } });
    expect(rules(assessRisk(policy({ toggles: true }), toggle(false), on))).toEqual(['toggle']);
  });

  it('only looks at kinds and tags when the policy names them', () => {
    const permission = flag({}, { kind: 'permission', tags: ['critical'] });
    expect(rules(assessRisk(policy({ flagKinds: ['operational'] }), toggle(true), permission))).toEqual([]);
    expect(rules(assessRisk(policy({ flagKinds: ['permission'] }), toggle(true), permission))).toEqual(['flag_kind']);
    expect(rules(assessRisk(policy({ flagTags: ['critical'] }), toggle(true), permission))).toEqual(['flag_tag']);
  });

  describe('rollout increases', () => {
    const before = flag({ environments: { production: configured(10) } });

    it('holds back a rollout increase of more than N points on the fallthrough', () => {
      const reasons = assessRisk(policy({ rolloutIncreaseAbove: 20 }), configure(configured(50)), before);
      expect(reasons).toEqual([
        {
          rule: 'rollout_increase',
          environment: 'production',
          field: 'rules.rolloutIncreaseAbove',
          problem: 'fallthrough serves variant "on" to 50% instead of 10% (+40 points, more than 20)',
        },
      ]);
    });

    it('lets an increase of exactly N points, and any decrease, through', () => {
      expect(assessRisk(policy({ rolloutIncreaseAbove: 20 }), configure(configured(30)), before)).toEqual([]);
      expect(assessRisk(policy({ rolloutIncreaseAbove: 0 }), configure(configured(5)), before)).toEqual([]);
    });

    it('compares rules by id and ignores rules that are new (they target, they do not widen)', () => {
      const withRule = flag({ environments: { production: configured(10, { rules: [{ id: 'beta', condition: { all: [] }, serve: rollout(10) }] }) } });
      const widened = configured(10, { rules: [{ id: 'beta', condition: { all: [] }, serve: rollout(60) }, { id: 'new', condition: { all: [] }, serve: { variant: 'on' } }] });
      const reasons = assessRisk(policy({ rolloutIncreaseAbove: 25 }), configure(widened), withRule);
      expect(reasons.map((r) => r.problem)).toEqual(['rule "beta" serves variant "on" to 60% instead of 10% (+50 points, more than 25)']);
    });

    it('counts a fixed variant as 100 % and respects a custom modulus', () => {
      const fixed = configured(0, { fallthrough: { variant: 'on' } });
      expect(rolloutIncreases(configured(30), fixed)).toEqual([{ slot: 'fallthrough', variant: 'on', before: 30, after: 100, points: 70 }]);
      const unleash = configured(0, { fallthrough: { rollout: { modulus: 10_000, variants: [{ variant: 'on', weight: 2500 }, { variant: 'off', weight: 7500 }] } } });
      expect(rolloutIncreases(configured(10), unleash)).toEqual([{ slot: 'fallthrough', variant: 'on', before: 10, after: 25, points: 15 }]);
    });

    it('never counts more traffic to the off variant as an increase', () => {
      expect(rolloutIncreases(configured(50), configured(10))).toEqual([]);
    });
  });

  it('flags any configuration change under anyChange, and an on/off flip inside it under toggles', () => {
    const before = flag({ environments: { production: configured(10) } });
    expect(rules(assessRisk(policy({ anyChange: true, toggles: true }), configure({ ...configured(10), on: false }), before))).toEqual(['any_change', 'toggle']);
    expect(assessRisk(policy({ anyChange: true }), configure(configured(10)), before)).toEqual([]);
  });

  it('holds back variant changes, archiving and restoring under their rules', () => {
    const setVariants = command('SetFlagVariants', { key: 'checkout', variants: { on: true, off: false } });
    expect(rules(assessRisk(policy({ variants: true, archive: true }), setVariants, flag()))).toEqual(['variants']);
    expect(rules(assessRisk(policy({ variants: true, archive: true }), command('ArchiveFlag', { key: 'checkout' }), flag()))).toEqual(['archive']);
    expect(rules(assessRisk(policy({ archive: true, anyChange: true }), command('RestoreFlag', { key: 'checkout' }), flag({ status: 'archived' })))).toEqual(['any_change', 'archive']);
  });

  it('governs a metadata change only where it moves a flag into or out of a protected kind or tag', () => {
    const critical = flag({}, { tags: ['critical'] });
    const protect = policy({ anyChange: true, flagKinds: ['permission'], flagTags: ['critical'] });
    expect(assessRisk(protect, command('UpdateFlagMetadata', { key: 'checkout', name: 'Renamed' }), critical)).toEqual([]);
    expect(rules(assessRisk(protect, command('UpdateFlagMetadata', { key: 'checkout', tags: [] }), critical))).toEqual(['flag_tag']);
    expect(rules(assessRisk(protect, command('UpdateFlagMetadata', { key: 'checkout', kind: 'permission' }), flag()))).toEqual(['flag_kind']);
    expect(assessRisk(protect, command('UpdateFlagMetadata', { key: 'checkout', tags: ['checkout', 'ui'] }), flag())).toEqual([]);
  });

  it('holds back segment changes under anyChange only', () => {
    const segment = { status: 'absent', version: 0 } as const;
    const create = command('CreateSegment', { environment: 'production', key: 'beta', name: 'Beta', rules: {} });
    expect(rules(assessRisk(policy({ anyChange: true }), create, segment))).toEqual(['any_change']);
    expect(assessRisk(policy({ toggles: true, archive: true }), create, segment)).toEqual([]);
  });

  it('holds back a change to a policy that itself requires approval, and not the first policy', () => {
    const set = command('SetApprovalPolicy', { environment: 'production', policy: {} });
    const strict: ApprovalPolicyState = { status: 'active', version: 1, environment: 'production', policy: policy({ toggles: true }).policy };
    const lax: ApprovalPolicyState = { status: 'active', version: 1, environment: 'production', policy: DEFAULT_APPROVAL_POLICY };
    expect(rules(assessRisk(policy({ toggles: true }), set, strict))).toEqual(['policy_change']);
    expect(assessRisk(policy({}), set, lax)).toEqual([]);
    expect(assessRisk(policy({}), set, { status: 'absent', version: 0 })).toEqual([]);
  });

  it('finds nothing for a flag that does not exist (the decider reports that)', () => {
    expect(assessRisk(policy({ anyChange: true }), toggle(true), { status: 'absent', version: 0 })).toEqual([]);
  });
});

describe('parseApprovalPolicy', () => {
  it('fills every omitted field with its default', () => {
    expect(parseApprovalPolicy({})).toEqual({ problems: [], policy: DEFAULT_APPROVAL_POLICY });
    expect(parseApprovalPolicy({ requiredApprovals: 2, rules: { toggles: true, flagTags: ['critical', 'critical'] } }).policy).toEqual({
      ...DEFAULT_APPROVAL_POLICY,
      requiredApprovals: 2,
      rules: { ...NO_RISK_RULES, toggles: true, flagTags: ['critical'] },
    });
  });

  it('reports every invalid field with its path', () => {
    const { problems, policy: parsed } = parseApprovalPolicy({
      requiredApprovals: 11,
      allowSelfApproval: 'yes',
      owner: 'x',
      rules: { rolloutIncreaseAbove: 101, flagKinds: ['nope'], flagTags: [''], togles: true },
    });
    expect(parsed).toBeUndefined();
    expect(problems.map((p) => p.field)).toEqual([
      'policy.requiredApprovals',
      'policy.allowSelfApproval',
      'policy.rules.rolloutIncreaseAbove',
      'policy.rules.flagKinds',
      'policy.rules.flagTags',
      'policy.owner',
      'policy.rules.togles',
    ]);
  });

  it.each([[0], [1.5], ['2']])('rejects requiredApprovals %j', (requiredApprovals) => {
    expect(parseApprovalPolicy({ requiredApprovals }).problems).toEqual([{ field: 'policy.requiredApprovals', problem: 'must be an integer from 1 to 10' }]);
  });

  it('rejects what is not an object', () => {
    expect(parseApprovalPolicy([]).problems).toEqual([{ field: 'policy', problem: 'must be an object' }]);
    expect(parseApprovalPolicy({ rules: 3 }).problems).toEqual([{ field: 'policy.rules', problem: 'must be an object' }]);
  });
});
