import type { EnvironmentCommand } from './environment/environment.commands';
import type { FlagCommand } from './flag/flag.commands';
import type { SegmentCommand } from './segment/segment.commands';
import type { TokenCommand } from './token/token.commands';
import type { ApprovalPolicyCommand } from './approval-policy/approval-policy.commands';
import type { ChangeRequestCommand } from './change-request/change-request.commands';

export type FlagpoleCommand = EnvironmentCommand | FlagCommand | SegmentCommand | TokenCommand | ApprovalPolicyCommand | ChangeRequestCommand;
