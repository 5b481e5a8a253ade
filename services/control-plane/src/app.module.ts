import { Module, ValidationPipe, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { LoggerModule } from 'nestjs-pino';
import { TokenAuthGuard } from './auth/token-auth.guard';
import { APP_CONFIG, type AppConfig } from './config/app-config';
import { CreateEnvironmentHandler } from './environments/create-environment/create-environment.handler';
import { CreateEnvironmentHttpController } from './environments/create-environment/create-environment.http.controller';
import { ArchiveFlagHandler } from './flags/archive-flag/archive-flag.handler';
import { ArchiveFlagHttpController } from './flags/archive-flag/archive-flag.http.controller';
import { ConfigureFlagEnvironmentHandler } from './flags/configure-flag-environment/configure-flag-environment.handler';
import { ConfigureFlagEnvironmentHttpController } from './flags/configure-flag-environment/configure-flag-environment.http.controller';
import { CreateFlagHandler } from './flags/create-flag/create-flag.handler';
import { CreateFlagHttpController } from './flags/create-flag/create-flag.http.controller';
import { RestoreFlagHandler } from './flags/restore-flag/restore-flag.handler';
import { RestoreFlagHttpController } from './flags/restore-flag/restore-flag.http.controller';
import { SetFlagVariantsHandler } from './flags/set-flag-variants/set-flag-variants.handler';
import { SetFlagVariantsHttpController } from './flags/set-flag-variants/set-flag-variants.http.controller';
import { ToggleFlagHandler } from './flags/toggle-flag/toggle-flag.handler';
import { ToggleFlagHttpController } from './flags/toggle-flag/toggle-flag.http.controller';
import { UpdateFlagMetadataHandler } from './flags/update-flag-metadata/update-flag-metadata.handler';
import { UpdateFlagMetadataHttpController } from './flags/update-flag-metadata/update-flag-metadata.http.controller';
import { HealthController } from './health/health.controller';
import { queryControllers, queryProviders } from './query-side';
import { approvalControllers, approvalProviders } from './approvals';
import { ErrorFilter } from './http/error.filter';
import { loggerModuleParams } from './http/request-logging';
import { RequestValidationError } from './http/request-validation.error';
import { DatabaseService } from './infrastructure/database/database.service';
import { WriterRuntime } from './infrastructure/writer.runtime';
import { MetricsController } from './metrics/metrics.controller';
import { MetricsService } from './metrics/metrics.service';
import { CreateSegmentHandler } from './segments/create-segment/create-segment.handler';
import { CreateSegmentHttpController } from './segments/create-segment/create-segment.http.controller';
import { DeleteSegmentHandler } from './segments/delete-segment/delete-segment.handler';
import { DeleteSegmentHttpController } from './segments/delete-segment/delete-segment.http.controller';
import { UpdateSegmentHandler } from './segments/update-segment/update-segment.handler';
import { UpdateSegmentHttpController } from './segments/update-segment/update-segment.http.controller';
import { BootstrapTokenService } from './tokens/bootstrap-token.service';
import { IssueTokenHandler } from './tokens/issue-token/issue-token.handler';
import { IssueTokenHttpController } from './tokens/issue-token/issue-token.http.controller';
import { RevokeTokenHandler } from './tokens/revoke-token/revoke-token.handler';
import { RevokeTokenHttpController } from './tokens/revoke-token/revoke-token.http.controller';

const controllers = [
  CreateEnvironmentHttpController,
  CreateFlagHttpController,
  UpdateFlagMetadataHttpController,
  SetFlagVariantsHttpController,
  ConfigureFlagEnvironmentHttpController,
  ToggleFlagHttpController,
  ArchiveFlagHttpController,
  RestoreFlagHttpController,
  CreateSegmentHttpController,
  UpdateSegmentHttpController,
  DeleteSegmentHttpController,
  IssueTokenHttpController,
  RevokeTokenHttpController,
  HealthController,
  MetricsController,
  ...queryControllers,
  ...approvalControllers,
];

const commandHandlers = [
  CreateEnvironmentHandler,
  CreateFlagHandler,
  UpdateFlagMetadataHandler,
  SetFlagVariantsHandler,
  ConfigureFlagEnvironmentHandler,
  ToggleFlagHandler,
  ArchiveFlagHandler,
  RestoreFlagHandler,
  CreateSegmentHandler,
  UpdateSegmentHandler,
  DeleteSegmentHandler,
  IssueTokenHandler,
  RevokeTokenHandler,
];

@Module({})
export class AppModule {
  /** Configuration comes in from outside so tests can start isolated instances side by side. */
  static register(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CqrsModule.forRoot(),
        LoggerModule.forRoot(loggerModuleParams(config.logLevel, config.instanceId)),
      ],
      controllers,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        MetricsService,
        DatabaseService,
        WriterRuntime,
        BootstrapTokenService,
        ...commandHandlers,
        ...queryProviders,
        ...approvalProviders,
        { provide: APP_GUARD, useClass: TokenAuthGuard },
        { provide: APP_FILTER, useClass: ErrorFilter },
        {
          provide: APP_PIPE,
          useValue: new ValidationPipe({
            whitelist: true,
            forbidNonWhitelisted: true,
            transform: true,
            exceptionFactory: (errors) => RequestValidationError.fromClassValidator(errors),
          }),
        },
      ],
    };
  }
}
