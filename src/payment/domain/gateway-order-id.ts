/** The gateway's order id for order N (API.md): one per order, whatever the attempt. */
export function gatewayOrderId(orderId: number): string {
  return `order-${orderId}`;
}
