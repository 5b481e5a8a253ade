import { GetApprovalPolicyHandler } from './approval-policies/get-approval-policy/get-approval-policy.handler';
import { GetApprovalPolicyHttpController } from './approval-policies/get-approval-policy/get-approval-policy.http.controller';
import { SetApprovalPolicyHandler } from './approval-policies/set-approval-policy/set-approval-policy.handler';
import { SetApprovalPolicyHttpController } from './approval-policies/set-approval-policy/set-approval-policy.http.controller';
import { ApplyChangeRequestHandler } from './change-requests/apply-change-request/apply-change-request.handler';
import { ApplyChangeRequestHttpController } from './change-requests/apply-change-request/apply-change-request.http.controller';
import { ApprovalComplianceHandler } from './change-requests/approval-compliance/approval-compliance.handler';
import { ApprovalComplianceHttpController } from './change-requests/approval-compliance/approval-compliance.http.controller';
import { CancelChangeRequestHandler } from './change-requests/cancel-change-request/cancel-change-request.handler';
import { CancelChangeRequestHttpController } from './change-requests/cancel-change-request/cancel-change-request.http.controller';
import { GetChangeRequestHandler } from './change-requests/get-change-request/get-change-request.handler';
import { GetChangeRequestHttpController } from './change-requests/get-change-request/get-change-request.http.controller';
import { ListChangeRequestsHandler } from './change-requests/list-change-requests/list-change-requests.handler';
import { ListChangeRequestsHttpController } from './change-requests/list-change-requests/list-change-requests.http.controller';
import { OpenChangeRequestHandler } from './change-requests/open-change-request/open-change-request.handler';
import { OpenChangeRequestHttpController } from './change-requests/open-change-request/open-change-request.http.controller';
import { ReviewChangeRequestHandler } from './change-requests/review-change-request/review-change-request.handler';
import { ReviewChangeRequestHttpController } from './change-requests/review-change-request/review-change-request.http.controller';
import { ChangeRequestScheduler } from './change-requests/scheduler/change-request.scheduler';

/*
 * The approval workflow (issue 6), registered by app.module.ts with one line per array. The
 * query side's ReadModelService and ReadYourWritesInterceptor (query-side.ts) serve its lists.
 */

export const approvalControllers = [
  // Before GetChangeRequest: "compliance" would otherwise be taken for a request id.
  ApprovalComplianceHttpController,
  ListChangeRequestsHttpController,
  GetChangeRequestHttpController,
  OpenChangeRequestHttpController,
  ReviewChangeRequestHttpController,
  ApplyChangeRequestHttpController,
  CancelChangeRequestHttpController,
  SetApprovalPolicyHttpController,
  GetApprovalPolicyHttpController,
];

export const approvalProviders = [
  OpenChangeRequestHandler,
  ReviewChangeRequestHandler,
  ApplyChangeRequestHandler,
  CancelChangeRequestHandler,
  GetChangeRequestHandler,
  ListChangeRequestsHandler,
  ApprovalComplianceHandler,
  SetApprovalPolicyHandler,
  GetApprovalPolicyHandler,
  ChangeRequestScheduler,
];
