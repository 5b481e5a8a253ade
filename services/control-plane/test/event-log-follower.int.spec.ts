import pino from 'pino';
import { createKafka } from '@flagpole/kafka';
import { EventLogFollower } from '../src/writer/event-log-follower';
import { testKafkaSettings } from '../../../test/support/kafka-topics';
import { uniqueName } from '../../../test/support/unique-name';

describe('EventLogFollower', () => {
  const kafka = createKafka(testKafkaSettings('unused'));

  it('keeps trying while the log cannot be read yet and is ready once it can', async () => {
    const topic = `${uniqueName('follower')}.events`;
    const follower = new EventLogFollower(kafka, topic, pino({ level: 'silent' }));
    let ready = false;
    const started = follower.start().then(() => (ready = true));
    // The topic does not exist: every attempt fails, none of them for good.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(ready).toBe(false);

    const admin = kafka.admin();
    await admin.connect();
    try {
      await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
      await started;
      expect(ready).toBe(true);
      expect(follower.failed).toBeUndefined();
      expect(follower.state.lastSequence).toBe(0);
    } finally {
      await follower.stop();
      await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
      await admin.disconnect();
    }
  }, 60_000);

  it('gives up starting when stopped before it caught up', async () => {
    const follower = new EventLogFollower(kafka, `${uniqueName('follower-stopped')}.events`, pino({ level: 'silent' }));
    const started = follower.start();
    await new Promise((resolve) => setTimeout(resolve, 300));
    await follower.stop();
    await expect(started).rejects.toThrow(/stopped before it caught up/);
  });
});
