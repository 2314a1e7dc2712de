import type { CancelAnswer, CancelRequest, PaymentGateway } from './ports/payment-gateway.port';

/**
 * Gives a card refund's won back at the gateway. A refund of 0 won (free units, or units whose
 * share of a discount rounds to nothing) has nothing to give back there, and the gateway refuses
 * a `cancelAmount` of 0: it is done without a call.
 */
export function cancelRefundAtGateway(gateway: PaymentGateway, request: CancelRequest & { amount: number }): Promise<CancelAnswer> {
  return request.amount === 0 ? Promise.resolve({ kind: 'CANCELLED' }) : gateway.cancel(request);
}
