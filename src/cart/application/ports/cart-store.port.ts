export interface CartItemRecord {
  id: number;
  productOptionId: number;
  quantity: number;
}

/** The cart_items table: one row per user and option. */
export abstract class CartStore {
  /** Oldest item first. */
  abstract listItems(userId: number): Promise<CartItemRecord[]>;
  /**
   * Adds the option or adds to its quantity, so simultaneous adds of the same option all count
   * and never make a second item. False, with nothing changed, when the sum would pass the cap.
   */
  abstract addQuantity(userId: number, productOptionId: number, quantity: number): Promise<boolean>;
  /** Only the owner's item matches, so another user's id behaves exactly like a missing one. */
  abstract delete(userId: number, itemId: number): Promise<boolean>;
}
