import { Injectable } from '@nestjs/common';
import { OpenFeatureClient, type Client } from '@openfeature/nestjs-sdk';

export interface Quote {
  readonly flow: 'new' | 'classic';
  readonly subtotalCents: number;
  readonly totalCents: number;
}

/**
 * Business logic behind flags: the new checkout applies a discount whose size is a number flag;
 * the classic checkout never did. Flags are evaluated with the request's context (user id, plan),
 * which the OpenFeature module propagates.
 */
@Injectable()
export class CheckoutService {
  constructor(@OpenFeatureClient() private readonly flags: Client) {}

  async quote(subtotalCents: number): Promise<Quote> {
    if (!(await this.flags.getBooleanValue('new-checkout', false))) {
      return { flow: 'classic', subtotalCents, totalCents: subtotalCents };
    }
    const discount = await this.flags.getNumberValue('checkout-discount-percent', 0);
    return { flow: 'new', subtotalCents, totalCents: Math.round(subtotalCents * (1 - discount / 100)) };
  }
}
