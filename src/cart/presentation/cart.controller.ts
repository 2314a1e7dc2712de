import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '../../common/auth/auth.decorators';
import type { AuthUser } from '../../common/auth/auth-user';
import { ApiErrors } from '../../common/docs/api-errors.decorator';
import { IdParamPipe } from '../../common/http/id-param.pipe';
import { AddCartItemUseCase } from '../application/add-cart-item.use-case';
import { GetCartUseCase } from '../application/get-cart.use-case';
import { RemoveCartItemUseCase } from '../application/remove-cart-item.use-case';
import { AddCartItemRequest } from './add-cart-item.request';
import { CartResponse } from './cart.response';
import { ValidationFailedError } from '../../common/errors/domain-error';
import { CartItemNotFoundError, ProductOptionNotFoundError } from '../domain/cart-item';

@ApiTags('cart')
@Controller('me/cart')
export class CartController {
  constructor(
    private readonly getCart: GetCartUseCase,
    private readonly addCartItem: AddCartItemUseCase,
    private readonly removeCartItem: RemoveCartItemUseCase,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Read the cart', description: "The caller's cart, oldest item first, at the products' current prices." })
  @ApiOkResponse({ type: CartResponse, description: 'The cart' })
  get(@CurrentUser() user: AuthUser): Promise<CartResponse> {
    return this.getCart.execute(user.id);
  }

  @Post('items')
  @ApiOperation({ summary: 'Add to the cart', description: 'Adds a quantity of a product option; an option already in the cart has its quantity raised instead.' })
  @ApiCreatedResponse({ type: CartResponse, description: 'The whole cart after the addition' })
  @ApiErrors(ValidationFailedError, ProductOptionNotFoundError)
  add(@CurrentUser() user: AuthUser, @Body() body: AddCartItemRequest): Promise<CartResponse> {
    return this.addCartItem.execute(user.id, body.productOptionId, body.quantity);
  }

  @Delete('items/:itemId')
  @ApiOperation({ summary: 'Remove a cart item', description: "Removes one item from the caller's cart." })
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Removed' })
  @ApiErrors(ValidationFailedError, CartItemNotFoundError)
  remove(@CurrentUser() user: AuthUser, @Param('itemId', IdParamPipe) itemId: number): Promise<void> {
    return this.removeCartItem.execute(user.id, itemId);
  }
}
