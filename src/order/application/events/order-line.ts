/** One line of an order as the order's events carry it: which option, of which product, how many. */
export interface OrderLine {
  productId: number;
  productOptionId: number;
  quantity: number;
}

/** A line with the price it was ordered at, as the after-commit events carry it. */
export interface PricedOrderLine extends OrderLine {
  unitPrice: number;
}
