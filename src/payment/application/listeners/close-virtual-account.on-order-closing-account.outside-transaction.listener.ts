import { Injectable } from '@nestjs/common';
import { OnSyncEvent } from '../../../common/events/on-sync-event.decorator';
import { OrderClosingAccountEvent } from '../../../order/application/events/order-closing-account.event';
import { PaymentGatewayUnavailableError } from '../../domain/payment.errors';
import { CloseVirtualAccountUseCase } from '../close-virtual-account.use-case';
import { PaymentStore } from '../ports/payment-store.port';

/**
 * The customer's cancel of an order waiting for its deposit: its virtual account closed at the
 * gateway, then the order released (or paid, if the money came first). The order module reads
 * what became of the order; a gateway that could not say is 503 and changes nothing.
 */
@Injectable()
export class CloseVirtualAccountOnOrderClosingAccount {
  constructor(
    private readonly payments: PaymentStore,
    private readonly accounts: CloseVirtualAccountUseCase,
  ) {}

  @OnSyncEvent(OrderClosingAccountEvent, 'payment.close-virtual-account')
  async close(event: OrderClosingAccountEvent): Promise<void> {
    const attempt = await this.payments.awaitingDepositOf(event.orderId);
    // Settled meanwhile (paid, or closed by its due date): the order says which.
    if (!attempt) return;
    const closing = await this.accounts.execute(attempt, 'CANCELLED');
    if (closing.kind === 'UNKNOWN') throw new PaymentGatewayUnavailableError('The payment gateway could not close the virtual account; nothing changed, the order still waits for its deposit');
  }
}
