export interface OrderCompletedNotice {
  eventId: string;
  userId: number;
  orderId: number;
  finalAmount: number;
}

/** Where a real push service plugs in: bind NOTIFIER to another adapter in OrderModule. */
export interface Notifier {
  orderCompleted(notice: OrderCompletedNotice): Promise<void>;
}

export const NOTIFIER = Symbol('NOTIFIER');
