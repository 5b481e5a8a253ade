export * from './kafka-settings';
export * from './topic-names';
export * from './create-kafka';
export * from './topic-admin';
export * from './topic-reader';
export * from './event-codec';
export * from './consumer-retry';
