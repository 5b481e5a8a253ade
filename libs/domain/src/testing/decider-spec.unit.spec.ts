import { AssertionError } from 'node:assert';
import type { Command, Event } from '../shared/decider.types';
import { DomainError } from '../shared/domain-error';
import { contextOf, deciderSpec, expectDomainError, meta, NOW } from './decider-spec';

// A counter that refuses to go past 2: enough to check the helper itself fails when it should.
type Add = Command<'Add', { readonly n: number }>;
type Added = Event<'Added', { readonly n: number }>;
const counter = deciderSpec<Add, Added, number>({
  initialState: 0,
  evolve: (total, e) => total + e.data.n,
  decide: (c, total, ctx) => {
    if (!ctx.environmentExists('production')) throw DomainError.notFound('environment "production"');
    if (total + c.data.n > 2) throw new DomainError('invalid_state', 'too many', [{ field: 'n', problem: `at most ${2 - total}` }], total);
    return c.data.n === 0 ? [] : [{ type: 'Added', data: c.data }];
  },
});
const add = (n: number): Add => ({ type: 'Add', data: { n }, meta: meta() });

describe('deciderSpec', () => {
  it('folds the given events and returns the state after the decided ones', () => {
    expect(counter.given([{ type: 'Added', data: { n: 1 } }]).state).toBe(1);
    expect(counter.given([{ type: 'Added', data: { n: 1 } }]).when(add(1)).then([{ type: 'Added', data: { n: 1 } }])).toBe(2);
  });

  it('fails `then` when the events differ', () => {
    expect(() => counter.given([]).when(add(1)).then([{ type: 'Added', data: { n: 2 } }])).toThrow(AssertionError);
    expect(() => counter.given([]).when(add(0)).then([{ type: 'Added', data: { n: 0 } }])).toThrow(AssertionError);
  });

  it('fails `then` when the command is refused', () => {
    expect(() => counter.given([]).when(add(3)).then([])).toThrow(DomainError);
  });

  it('fails `thenThrows` when the command is accepted or refused differently', () => {
    expect(() => counter.given([]).when(add(1)).thenThrows({ code: 'invalid_state' })).toThrow(/expected DomainError invalid_state/);
    expect(() => counter.given([]).when(add(3)).thenThrows({ code: 'not_found' })).toThrow(AssertionError);
    expect(() => counter.given([]).when(add(3)).thenThrows({ code: 'invalid_state', currentVersion: 1 })).toThrow(AssertionError);
    expect(() => counter.given([]).when(add(3)).thenThrows({ code: 'invalid_state', problems: [] })).toThrow(AssertionError);
    expect(() => counter.given([]).when(add(3)).thenThrows({ code: 'invalid_state', problems: [{ field: 'm' }] })).toThrow(AssertionError);
    expect(() => counter.given([]).when(add(3)).thenThrows({ code: 'invalid_state', problems: [{ field: 'n', problem: /at most 3/ }] })).toThrow(AssertionError);
  });

  it('matches problems by field alone, exact text or pattern', () => {
    const error = counter.given([]).when(add(3)).thenThrows({ code: 'invalid_state', problems: [{ field: 'n' }], currentVersion: 0 });
    expect(error.message).toBe('too many');
    counter.given([]).when(add(3)).thenThrows({ code: 'invalid_state', problems: [{ field: 'n', problem: 'at most 2' }] });
    counter.given([]).when(add(3)).thenThrows({ code: 'invalid_state', problems: [{ field: 'n', problem: /^at most \d$/ }] });
  });

  it('decides with the configured context', () => {
    counter.given([]).withContext({ environments: ['staging'] }).when(add(1)).thenThrows({ code: 'not_found' });
  });

  it('freezes the given state so a decider cannot mutate it', () => {
    const objects = deciderSpec<Add, Added, { total: number }>({
      initialState: { total: 0 },
      evolve: (s, e) => ({ total: s.total + e.data.n }),
      decide: (c, s) => {
        s.total += c.data.n;
        return [];
      },
    });
    expect(() => objects.given([{ type: 'Added', data: { n: 1 } }]).when(add(1)).then([])).toThrow(TypeError);
  });
});

describe('contextOf', () => {
  it('defaults to production and staging and nothing else', () => {
    const ctx = contextOf();
    expect(ctx.environmentKeys()).toEqual(['production', 'staging']);
    expect(ctx.environmentExists('qa')).toBe(false);
    expect(ctx.flagVariantNames('toString')).toBeUndefined();
    expect(ctx.segmentExists('production', 'beta')).toBe(false);
    expect([...ctx.prerequisiteEdges('production')]).toEqual([]);
    expect(ctx.flagsDependingOn('checkout')).toEqual([]);
  });

  it('answers from the facts it is given', () => {
    const ctx = contextOf({
      environments: ['qa'],
      flags: { login: ['on', 'off'] },
      segments: { qa: ['beta'] },
      segmentUsers: { 'qa/beta': ['checkout'] },
      prerequisiteEdges: { qa: { checkout: ['login'] } },
      dependents: { login: ['checkout'] },
    });
    expect(ctx.environmentExists('production')).toBe(false);
    expect(ctx.flagExists('login')).toBe(true);
    expect(ctx.flagVariantNames('login')).toEqual(['on', 'off']);
    expect(ctx.segmentExists('qa', 'beta')).toBe(true);
    expect(ctx.flagsUsingSegment('qa', 'beta')).toEqual(['checkout']);
    expect(ctx.prerequisiteEdges('qa').get('checkout')).toEqual(['login']);
    expect(ctx.flagsDependingOn('login')).toEqual(['checkout']);
  });
});

describe('meta', () => {
  it('fixes time, actor and correlation id, and takes overrides', () => {
    expect(meta()).toEqual({ actor: { id: 'user-ada', name: 'Ada Lovelace' }, now: NOW, correlationId: 'corr-1' });
    expect(meta({ expectedVersion: 3 }).expectedVersion).toBe(3);
  });
});

describe('expectDomainError', () => {
  it('fails for an error that is not a DomainError', () => {
    expect(() => expectDomainError(new Error('boom'), { code: 'not_found' })).toThrow(/expected a DomainError/);
  });
});
