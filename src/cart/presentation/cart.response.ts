import { ApiProperty } from '@nestjs/swagger';
import { MAX_ITEM_QUANTITY } from '../domain/cart-item';

export class CartItemResponse {
  @ApiProperty({ description: 'Cart item id, for DELETE /me/cart/items/:itemId' }) id: number;
  @ApiProperty() productId: number;
  @ApiProperty() productOptionId: number;
  @ApiProperty({ example: 'Cotton T-shirt' }) productName: string;
  @ApiProperty({ example: 'Red / M' }) optionName: string;
  @ApiProperty({ example: 19_000, description: "Won, the product's current price" }) unitPrice: number;
  @ApiProperty({ minimum: 1, maximum: MAX_ITEM_QUANTITY }) quantity: number;
}

export class CartResponse {
  @ApiProperty({ type: [CartItemResponse], description: 'Oldest item first' }) items: CartItemResponse[];
}
