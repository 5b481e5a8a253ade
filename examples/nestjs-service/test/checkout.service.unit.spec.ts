import { createTestClient, FlagpoleProvider } from '@flagpole/sdk';
import { OpenFeature } from '@openfeature/server-sdk';
import { CheckoutService } from '../src/checkout.service';

/**
 * How a service's unit tests pin flags without Kafka: an in-memory Flagpole client behind the
 * same OpenFeature provider the service uses in production. The seed pattern: test both paths of
 * every flag the code depends on.
 */
describe.each([
  { newCheckout: true, expected: { flow: 'new', subtotalCents: 10_000, totalCents: 8_500 } },
  { newCheckout: false, expected: { flow: 'classic', subtotalCents: 10_000, totalCents: 10_000 } },
])('CheckoutService.quote with new-checkout = $newCheckout', ({ newCheckout, expected }) => {
  afterEach(() => OpenFeature.close());

  it('quotes the cart on its path', async () => {
    const flags = createTestClient({ overrides: { 'new-checkout': newCheckout, 'checkout-discount-percent': 15 } });
    await OpenFeature.setProviderAndWait('checkout-unit', new FlagpoleProvider(flags));
    const service = new CheckoutService(OpenFeature.getClient('checkout-unit'));
    expect(await service.quote(10_000)).toEqual(expected);
  });
});

describe('CheckoutService.quote when flags are missing', () => {
  afterEach(() => OpenFeature.close());

  it('falls back to the classic checkout (the defaults) when new-checkout does not exist', async () => {
    await OpenFeature.setProviderAndWait('checkout-unit', new FlagpoleProvider(createTestClient()));
    const service = new CheckoutService(OpenFeature.getClient('checkout-unit'));
    expect(await service.quote(500)).toEqual({ flow: 'classic', subtotalCents: 500, totalCents: 500 });
  });
});
