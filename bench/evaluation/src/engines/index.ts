import type { EngineFactory } from './types';
import { unleashEngine } from './unleash';
import { launchDarklyEngine } from './launchdarkly';
import { flagdEngine } from './flagd';
import { growthBookEngine } from './growthbook';
import { flagpoleEngine } from './flagpole';

/** Flagpole first; the others are the peers it is compared with. */
export const FLAGPOLE_ID = 'flagpole';

export function allEngines(): EngineFactory[] {
  const engines: EngineFactory[] = [];
  engines.push(flagpoleEngine);
  engines.push(unleashEngine, launchDarklyEngine, flagdEngine, growthBookEngine);
  return engines;
}
