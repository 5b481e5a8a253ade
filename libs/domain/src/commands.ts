import type { EnvironmentCommand } from './environment/environment.commands';
import type { FlagCommand } from './flag/flag.commands';
import type { SegmentCommand } from './segment/segment.commands';
import type { TokenCommand } from './token/token.commands';

export type FlagpoleCommand = EnvironmentCommand | FlagCommand | SegmentCommand | TokenCommand;
