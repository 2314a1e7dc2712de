import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '../../common/database/unit-of-work';
import { OrderPayments } from '../../order/application/order-payments.facade';
import { PaymentGatewayUnavailableError } from '../domain/payment.errors';
import { GatewayChargeCancellation } from './gateway-charge-cancellation';
import { PayThroughGatewayUseCase } from './pay-through-gateway.use-case';
import { PaymentGateway } from './ports/payment-gateway.port';
import { PaymentStore } from './ports/payment-store.port';
import { PaymentSettings } from '../payment.settings';

/** One transaction of the gateway's list, as the payment module hands it over. */
export interface GatewayTransactionLine {
  transactionKey: string;
  paymentKey: string;
  status: string;
  transactionAt: Date;
  amount: number;
}

/** A gateway attempt of the shop, as its books hold it. */
export interface BookedCharge {
  paymentId: number;
  orderId: number;
  paymentKey: string;
  amount: number;
  status: string;
  beingCancelled: boolean;
  completedAt: Date | null;
}

/** A cancellation the payment module made of a charge (a late approval, a mismatch), by its gateway key. */
export interface BookedChargeCancel {
  transactionKey: string;
  amount: number;
  orderId: number;
}

/** The payment module's facade for the reconciliation: its gateway attempts, the gateway's records, and the repairs of charges. */
@Injectable()
export class PaymentBooks {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly payments: PaymentStore,
    private readonly orders: OrderPayments,
    private readonly gateway: PaymentGateway,
    private readonly cancellation: GatewayChargeCancellation,
    private readonly gatewayPayments: PayThroughGatewayUseCase,
    private readonly settings: PaymentSettings,
  ) {}

  /** This instance reconciles with a gateway (PG_BASE_URL set, PG_RECONCILE_INTERVAL_MS not 0). */
  get reconcilesHere(): boolean {
    return this.settings.PG_BASE_URL !== undefined && this.settings.PG_RECONCILE_INTERVAL_MS > 0;
  }

  /** Every approval and cancel of [from, to) at the gateway; 503 PAYMENT_GATEWAY_UNAVAILABLE when it cannot be read. */
  async gatewayTransactions(from: Date, to: Date): Promise<GatewayTransactionLine[]> {
    const answer = await this.gateway.listTransactions({ from, to });
    if (answer.kind !== 'LISTED') throw new PaymentGatewayUnavailableError();
    return answer.transactions.map(({ transactionKey, paymentKey, status, transactionAt, amount }) => ({ transactionKey, paymentKey, status, transactionAt, amount }));
  }

  /** What the gateway still holds of a charge (its balanceAmount); 503 when it cannot be asked. */
  async standing(paymentKey: string): Promise<number> {
    const lookup = await this.gateway.findByPaymentKey(paymentKey);
    if (lookup.kind === 'UNKNOWN') throw new PaymentGatewayUnavailableError();
    return lookup.kind === 'FOUND' ? lookup.payment.balanceAmount : 0;
  }

  /**
   * Attempts the shop has not settled yet (PROCESSING, AWAITING_DEPOSIT) whose charges the gateway
   * lists are settled first, each by a lookup through the request path's own phase 3: a deposit
   * whose webhook never came pays its order, rather than counting as a charge no payment holds.
   * 503 when the gateway cannot be asked.
   */
  async settleOpen(paymentKeys: string[]): Promise<number> {
    const open = await this.payments.openAttemptsWithKeys(paymentKeys);
    let settled = 0;
    for (const paymentKey of new Set(open.map((a) => a.paymentKey))) {
      const lookup = await this.gateway.findByPaymentKey(paymentKey);
      if (lookup.kind === 'UNKNOWN') throw new PaymentGatewayUnavailableError();
      for (const attempt of open.filter((a) => a.paymentKey === paymentKey)) {
        const { kind } = await this.gatewayPayments.settleByLookup(attempt, lookup);
        if (kind !== 'NOTHING' && kind !== 'ALREADY_SETTLED' && kind !== 'UNDECIDED' && kind !== 'AWAITING_DEPOSIT') settled++;
      }
    }
    return settled;
  }

  /** The shop's attempts carrying these charges, and its gateway payments completed in [from, to). */
  async charges(paymentKeys: string[], from: Date, to: Date): Promise<BookedCharge[]> {
    return this.payments.chargesForReconciliation(paymentKeys, from, to);
  }

  /** The cancellations of charges the shop made, among these gateway transaction keys. */
  async chargeCancels(transactionKeys: string[]): Promise<BookedChargeCancel[]> {
    return this.payments.chargeCancelsWithKeys(transactionKeys);
  }

  /**
   * A charge standing at the gateway that no COMPLETED payment holds: cancelled there as a late
   * approval would be. An attempt of the shop that FAILED carries the cancellation (and is
   * CANCELLED once it lands); a charge nobody holds is cancelled by its key alone. False when
   * nothing was asked (a later attempt carries the same charge).
   */
  async cancelCharge(paymentKey: string, reason: string): Promise<boolean> {
    const attempt = (await this.payments.attemptsWithKey(paymentKey)).find((a) => a.status === 'FAILED' || a.status === 'CANCEL_FAILED');
    if (attempt) {
      return this.unitOfWork.run(async () => {
        await this.orders.lock(attempt.orderId);
        return this.cancellation.request(attempt, reason);
      });
    }
    await this.unitOfWork.run(() => this.cancellation.requestForUnknownCharge(paymentKey, reason));
    return true;
  }

  /**
   * A cancel at the gateway of a charge the shop gave up on, whose own key it never learnt (its
   * answer was lost): the attempt's cancellation is done, with that key. False when no attempt
   * was waiting for it.
   */
  async recordChargeCancel(paymentKey: string, transactionKey: string): Promise<boolean> {
    const attempt = (await this.payments.attemptsWithKey(paymentKey)).find((a) => a.status === 'FAILED' || a.status === 'CANCEL_FAILED');
    if (!attempt) return false;
    await this.cancellation.cancelled(attempt.id, attempt.orderId, transactionKey);
    return true;
  }
}
