import { Controller, Get, Inject, ParseIntPipe, Query } from '@nestjs/common';
import { BooleanFeatureFlag, type EvaluationDetails } from '@openfeature/nestjs-sdk';
import { map, type Observable } from 'rxjs';
import { CheckoutService, type Quote } from './checkout.service';
import { FLAGS, type FlagEvaluator } from './flags';

@Controller()
export class CheckoutController {
  constructor(
    private readonly checkout: CheckoutService,
    @Inject(FLAGS) private readonly flags: FlagEvaluator,
  ) {}

  /** A quote for a cart; which checkout computes it is a flag. */
  @Get('checkout/quote')
  quote(@Query('subtotal', ParseIntPipe) subtotalCents: number): Promise<Quote> {
    return this.checkout.quote(subtotalCents);
  }

  /** The flag injected into the handler by the OpenFeature NestJS decorator, with its details. */
  @Get('checkout/banner')
  banner(@BooleanFeatureFlag({ flagKey: 'new-checkout', defaultValue: false }) feature: Observable<EvaluationDetails<boolean>>) {
    return feature.pipe(
      map((details) => ({
        banner: details.value ? 'Try our new checkout!' : null,
        reason: details.reason,
        variant: details.variant ?? null,
      })),
    );
  }

  /** How fresh this instance's flags are: state, source, Kafka positions, last change. */
  @Get('flags/status')
  status() {
    return this.flags.status();
  }
}
