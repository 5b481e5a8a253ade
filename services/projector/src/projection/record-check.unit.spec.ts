import { hash as digest } from 'node:crypto';
import { computeEventHash, type EventEnvelope } from '@flagpole/domain';
import { generateHistory } from '../../../../libs/read-model/test/support/history';
import { prng } from '../../../../libs/read-model/test/support/history-commands';
import { canonicalJson } from '../../../../libs/read-model/src/verify/canonical-json';
import { checkRecord, headOf, packVerdicts, textHead, unpackVerdicts, type RecordVerdict } from './record-check';

const history = generateHistory(400, { seed: 13 });

/** What checkRecord must say, by the book: JSON.parse and the domain's own hash. */
function reference(text: string): RecordVerdict {
  let event: EventEnvelope;
  try {
    event = JSON.parse(text) as EventEnvelope;
  } catch (error) {
    return { error: (error as Error).message };
  }
  if (typeof event !== 'object' || event === null || !Number.isSafeInteger(event.sequence) || typeof event.hash !== 'string') return { error: 'not an event envelope' };
  return { head: headOf(event), intact: domainIntact(event) };
}

function domainIntact(event: EventEnvelope): boolean {
  try {
    return computeEventHash(event) === event.hash;
  } catch {
    return false; // no string prevHash: nothing to hash
  }
}

const agree = (text: string): void => {
  const got = checkRecord(text);
  const want = reference(text);
  if (want.error !== undefined) expect(got.error).toBeDefined();
  else expect(got).toEqual(want);
};

describe('checkRecord and its text fast path', () => {
  it('places and passes every event of a history from its text alone, however its members are ordered or spaced', () => {
    for (const event of history) {
      const head = headOf(event);
      expect(textHead(JSON.stringify(event))).toEqual(head);
      expect(textHead(JSON.stringify(event, null, 2))).toEqual(head);
      const reversed = Object.fromEntries(Object.entries(event).reverse());
      expect(textHead(JSON.stringify(reversed))).toEqual(head);
    }
  });

  it('never passes an altered event; spellings RFC 8785 would write otherwise go to the slow path, which decides', () => {
    const event = history.find((e) => e.type === 'FlagEnvironmentConfigured')!;
    const text = JSON.stringify(event);
    const variants = [
      JSON.stringify({ ...event, reason: 'forged' }),
      text.replace(`"version":${event.version}`, `"version":${event.version}.0`),
      text.replace('"aggregateType":"flag"', '"aggregateType":"\\u0066lag"'),
      text.replace(`"sequence":${event.sequence}`, `"sequence":${event.sequence},"sequence":${event.sequence}`),
      text.replace('{', '{"hash":"x",'),
      text.replace(/}$/, ',}'),
      `${text} x`,
      text.slice(0, -1),
      text.replace(`"prevHash":"${event.prevHash}"`, `"prevHash":null`),
      JSON.stringify({ ...event, sequence: String(event.sequence) }),
      '[]',
      '"text"',
      '',
    ];
    for (const variant of variants) agree(variant);
    expect(checkRecord(variants[0]!)).toMatchObject({ intact: false });
    // An escape JSON.stringify would not write: the fast path misses, the event is still intact.
    expect(textHead(variants[2]!)).toBeUndefined();
    expect(checkRecord(variants[2]!)).toMatchObject({ intact: true });
  });

  it('refuses text JSON.parse refuses even when its hash was made to match what the fast path would compute', () => {
    const event = history.find((e) => e.type === 'FlagToggled')!;
    // What a writer of the log could forge: a bad scalar in place of the reason, and a hash over
    // the text the fast path would rewrite it to (members sorted, scalars as written).
    const { hash: _hash, ...unhashed } = { ...event, reason: '@@@' };
    const canonical = canonicalJson(unhashed);
    const members = (written: string): string => {
      const hash = digest('sha256', `${event.prevHash}${canonical.replace('"@@@"', written)}`, 'hex');
      return JSON.stringify({ ...event, hash, reason: '@@@' }).replace('"@@@"', written);
    };
    // The forgery is right: with a valid scalar in its place the fast path takes it as intact.
    expect(textHead(members('"ok"'))).toMatchObject({ sequence: event.sequence });
    for (const written of ['tru', '1.2.3', '-Infinity', '01', '"a\tb"', '"\\q"']) {
      const text = members(written);
      expect(() => JSON.parse(text)).toThrow();
      expect(textHead(text)).toBeUndefined();
      expect(checkRecord(text).error).toBeDefined();
    }
  });

  it('answers for a record nested deeper than the fast path recurses, without throwing', () => {
    const event = history[0]!;
    const deep = `${'['.repeat(20_000)}${']'.repeat(20_000)}`;
    const text = JSON.stringify({ ...event, data: '@' }).replace('"@"', deep);
    expect(() => checkRecord(text)).not.toThrow();
  });

  it('agrees with JSON.parse and the domain hash on thousands of random one-byte edits', () => {
    const random = prng(7);
    const alphabet = '{}[],:"\\ 0123456789.eE-+truefalsn ';
    for (let n = 0; n < 3000; n++) {
      const text = JSON.stringify(history[Math.floor(random() * history.length)]!);
      const at = Math.floor(random() * text.length);
      const edit = Math.floor(random() * 3);
      const char = alphabet[Math.floor(random() * alphabet.length)]!;
      const edited = edit === 0 ? text.slice(0, at) + text.slice(at + 1) : edit === 1 ? text.slice(0, at) + char + text.slice(at) : text.slice(0, at) + char + text.slice(at + 1);
      agree(edited);
    }
  });
});

describe('packVerdicts / unpackVerdicts', () => {
  it('give back every verdict as it was: intact or not, no prevHash, empty id, errors in place', () => {
    const verdicts: RecordVerdict[] = [
      ...history.slice(0, 50).map((e) => ({ head: headOf(e), intact: true })),
      { error: 'Unexpected end of JSON input' },
      { head: { sequence: 51, hash: 'a'.repeat(64), prevHash: undefined, id: '' }, intact: false },
      { error: 'not an event envelope' },
      { head: { sequence: 2 ** 52, hash: 'é\n"', prevHash: '', id: 'x' }, intact: true },
    ];
    const back = unpackVerdicts(packVerdicts(verdicts));
    expect(back).toEqual(verdicts);
    expect(back[51]!.head).toHaveProperty('prevHash', undefined);
    expect(unpackVerdicts(packVerdicts([]))).toEqual([]);
  });
});
