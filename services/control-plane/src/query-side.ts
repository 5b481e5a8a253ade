import { ExportAuditHandler } from './audit/export-audit/export-audit.handler';
import { ExportAuditHttpController } from './audit/export-audit/export-audit.http.controller';
import { ListAuditHandler } from './audit/list-audit/list-audit.handler';
import { ListAuditHttpController } from './audit/list-audit/list-audit.http.controller';
import { VerifyAuditHandler } from './audit/verify-audit/verify-audit.handler';
import { VerifyAuditHttpController } from './audit/verify-audit/verify-audit.http.controller';
import { EnvironmentAsOfHandler } from './environments/environment-as-of/environment-as-of.handler';
import { EnvironmentAsOfHttpController } from './environments/environment-as-of/environment-as-of.http.controller';
import { EnvironmentDiffHandler } from './environments/environment-diff/environment-diff.handler';
import { EnvironmentDiffHttpController } from './environments/environment-diff/environment-diff.http.controller';
import { ExplainFlagHandler } from './flags/explain-flag/explain-flag.handler';
import { ExplainFlagHttpController } from './flags/explain-flag/explain-flag.http.controller';
import { FlagAsOfHandler } from './flags/flag-as-of/flag-as-of.handler';
import { FlagAsOfHttpController } from './flags/flag-as-of/flag-as-of.http.controller';
import { FlagDiffHandler } from './flags/flag-diff/flag-diff.handler';
import { FlagDiffHttpController } from './flags/flag-diff/flag-diff.http.controller';
import { FlagHistoryHandler } from './flags/flag-history/flag-history.handler';
import { FlagHistoryHttpController } from './flags/flag-history/flag-history.http.controller';
import { GetFlagHandler } from './flags/get-flag/get-flag.handler';
import { GetFlagHttpController } from './flags/get-flag/get-flag.http.controller';
import { ListFlagsHandler } from './flags/list-flags/list-flags.handler';
import { ListFlagsHttpController } from './flags/list-flags/list-flags.http.controller';
import { ReadYourWritesInterceptor } from './http/read-your-writes.interceptor';
import { EventLogReader } from './infrastructure/event-log-reader';
import { ProjectionWaiter } from './infrastructure/read-model/projection-waiter';
import { ReadModelService } from './infrastructure/read-model/read-model.service';

/*
 * The query side (issue 5): routes reading the projector's read model. Kept in one list so
 * app.module.ts registers it with one line per array.
 */

export const queryControllers = [
  ListFlagsHttpController,
  GetFlagHttpController,
  FlagHistoryHttpController,
  FlagAsOfHttpController,
  FlagDiffHttpController,
  ExplainFlagHttpController,
  EnvironmentAsOfHttpController,
  EnvironmentDiffHttpController,
  ListAuditHttpController,
  VerifyAuditHttpController,
  ExportAuditHttpController,
];

export const queryProviders = [
  ReadModelService,
  ProjectionWaiter,
  ReadYourWritesInterceptor,
  EventLogReader,
  ListFlagsHandler,
  GetFlagHandler,
  FlagHistoryHandler,
  FlagAsOfHandler,
  FlagDiffHandler,
  ExplainFlagHandler,
  EnvironmentAsOfHandler,
  EnvironmentDiffHandler,
  ListAuditHandler,
  VerifyAuditHandler,
  ExportAuditHandler,
];
