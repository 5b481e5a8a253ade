import { backoff } from './kafka-flag-source';

describe('reconnect backoff', () => {
  it('doubles from the initial delay up to the maximum, with 50–100 % jitter', () => {
    const policy = { initialDelayMs: 100, maxDelayMs: 1000 };
    for (let i = 0; i < 200; i++) {
      expect(backoff(0, policy)).toBeGreaterThanOrEqual(50);
      expect(backoff(0, policy)).toBeLessThanOrEqual(100);
      expect(backoff(2, policy)).toBeGreaterThanOrEqual(200);
      expect(backoff(2, policy)).toBeLessThanOrEqual(400);
      expect(backoff(50, policy)).toBeGreaterThanOrEqual(500);
      expect(backoff(50, policy)).toBeLessThanOrEqual(1000);
    }
  });
});
