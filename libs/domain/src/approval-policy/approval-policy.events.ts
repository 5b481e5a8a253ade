import type { Event } from '../shared/decider.types';
import type { ApprovalPolicy } from './approval-policy.types';

export type ApprovalPolicySet = Event<'ApprovalPolicySet', { readonly environment: string; readonly policy: ApprovalPolicy }>;

export type ApprovalPolicyEvent = ApprovalPolicySet;
