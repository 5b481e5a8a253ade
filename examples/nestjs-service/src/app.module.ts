import { Module, type DynamicModule } from '@nestjs/common';
import { OpenFeatureModule } from '@openfeature/nestjs-sdk';
import type { FlagpoleProvider } from '@flagpole/sdk';
import { CheckoutController } from './checkout.controller';
import { CheckoutService } from './checkout.service';
import { FLAGS, requestContext } from './flags';

/** The service, wired to a Flagpole OpenFeature provider (the real one, or one over a test client). */
@Module({})
export class AppModule {
  static register(provider: FlagpoleProvider): DynamicModule {
    return {
      module: AppModule,
      imports: [OpenFeatureModule.forRoot({ defaultProvider: provider, contextFactory: requestContext })],
      controllers: [CheckoutController],
      providers: [CheckoutService, { provide: FLAGS, useValue: provider.client }],
    };
  }
}
