import { consistencyTokenOf } from './consistency-token';
import { RequestValidationError } from './request-validation.error';

describe('consistency tokens on query routes', () => {
  it('come from the consistencyToken parameter or the X-Consistency-Token header', () => {
    expect(consistencyTokenOf({ consistencyToken: '42' }, undefined)).toBe(42);
    expect(consistencyTokenOf({}, '17')).toBe(17);
    expect(consistencyTokenOf({ consistencyToken: '5' }, '5')).toBe(5);
    expect(consistencyTokenOf({}, undefined)).toBeUndefined();
  });

  it('are refused (400 naming the field) when malformed or when the two disagree', () => {
    const fieldOf = (f: () => unknown) => {
      try {
        f();
      } catch (error) {
        return error instanceof RequestValidationError ? error.problems[0]?.field : 'other';
      }
      return 'none';
    };
    expect(fieldOf(() => consistencyTokenOf({ consistencyToken: 'soon' }, undefined))).toBe('consistencyToken');
    expect(fieldOf(() => consistencyTokenOf({ consistencyToken: ['1', '2'] }, undefined))).toBe('consistencyToken');
    expect(fieldOf(() => consistencyTokenOf({}, '-1'))).toBe('X-Consistency-Token');
    expect(fieldOf(() => consistencyTokenOf({ consistencyToken: '1' }, '2'))).toBe('consistencyToken');
  });
});
