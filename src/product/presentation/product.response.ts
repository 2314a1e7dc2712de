import { ApiProperty } from '@nestjs/swagger';
import { Product } from '../domain/product';

export class ProductOptionResponse {
  @ApiProperty() id: number;
  @ApiProperty({ example: 'Red / M' }) name: string;
  @ApiProperty({ description: 'onHand - reserved: what can still be ordered' }) stock: number;
  @ApiProperty({ description: 'Physical count' }) onHand: number;
  @ApiProperty({ description: 'Held by unpaid orders' }) reserved: number;
}

export class ProductResponse {
  @ApiProperty() id: number;
  @ApiProperty({ example: 'Cotton T-shirt' }) name: string;
  @ApiProperty({ example: 19_000, description: 'Won' }) price: number;
  @ApiProperty({ type: [ProductOptionResponse], description: 'By id ascending' }) options: ProductOptionResponse[];

  /** Spelled out because `stock` is a getter, which JSON serialisation of the domain object would drop. */
  static of(product: Product): ProductResponse {
    return {
      id: product.id,
      name: product.name,
      price: product.price,
      options: product.options.map((o) => ({ id: o.id, name: o.name, stock: o.stock, onHand: o.onHand, reserved: o.reserved })),
    };
  }
}

export class ProductPageResponse {
  @ApiProperty({ type: [ProductResponse], description: 'By id ascending' }) items: ProductResponse[];
  @ApiProperty({ description: 'Number of products in the whole catalog' }) total: number;
}
