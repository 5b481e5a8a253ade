import { restartingRetry } from './consumer-retry';

const crash = new Error('connection refused');

describe('restartingRetry', () => {
  it('retries a bounded number of times inside kafkajs', () => {
    const retry = restartingRetry(() => true);
    expect(retry.retries).toBe(5);
    expect(retry.maxRetryTime).toBe(5000);
  });

  it('lets kafkajs restart the consumer while its owner runs, and never after it stopped', async () => {
    let running = true;
    const retry = restartingRetry(() => running);
    await expect(retry.restartOnFailure!(crash)).resolves.toBe(true);
    running = false;
    await expect(retry.restartOnFailure!(crash)).resolves.toBe(false);
  });

  it("consults the caller's own restartOnFailure only while running", async () => {
    const own = jest.fn(async () => false);
    let running = true;
    const retry = restartingRetry(() => running, { retries: 2, restartOnFailure: own });
    expect(retry.retries).toBe(2);
    await expect(retry.restartOnFailure!(crash)).resolves.toBe(false);
    expect(own).toHaveBeenCalledWith(crash);
    running = false;
    own.mockClear();
    await expect(retry.restartOnFailure!(crash)).resolves.toBe(false);
    expect(own).not.toHaveBeenCalled();
  });
});
