import { Module } from '@nestjs/common';
import { ProductModule } from '../product/product.module';
import { AddCartItemUseCase } from './application/add-cart-item.use-case';
import { GetCartUseCase } from './application/get-cart.use-case';
import { RemoveCartItemUseCase } from './application/remove-cart-item.use-case';
import { CartStore } from './application/ports/cart-store.port';
import { CartRepository } from './infrastructure/cart.repository';
import { CartController } from './presentation/cart.controller';

@Module({
  imports: [ProductModule],
  controllers: [CartController],
  providers: [{ provide: CartStore, useClass: CartRepository }, GetCartUseCase, AddCartItemUseCase, RemoveCartItemUseCase],
})
export class CartModule {}
