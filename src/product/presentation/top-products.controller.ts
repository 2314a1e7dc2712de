import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Public } from '../../common/auth/auth.decorators';
import { ApiErrors } from '../../common/docs/api-errors.decorator';
import { GetTopProductsUseCase } from '../application/get-top-products.use-case';
import { TopProductsQuery } from './top-products.query';
import { ValidationFailedError } from '../../common/errors/domain-error';

class TopProductResponse {
  @ApiProperty() productId: number;
  @ApiProperty() name: string;
  @ApiProperty({ description: 'Units paid in the window' }) salesQuantity: number;
}

/** Registered before ProductsController, so that /products/top is not taken for /products/:id. */
@ApiTags('products')
@Controller('products')
export class TopProductsController {
  constructor(private readonly getTop: GetTopProductsUseCase) {}

  @Get('top')
  @ApiOperation({ summary: 'Best sellers', description: 'Products by quantity paid over the last days calendar days (today included) in SHOP_TIMEZONE, highest first; a payment shows up within 5 s.' })
  @Public()
  @ApiOkResponse({ type: [TopProductResponse], description: 'Best sellers by paid quantity, highest first; a payment shows up within seconds' })
  @ApiErrors(ValidationFailedError)
  top(@Query() query: TopProductsQuery): Promise<TopProductResponse[]> {
    return this.getTop.execute(query.days, query.limit);
  }
}
