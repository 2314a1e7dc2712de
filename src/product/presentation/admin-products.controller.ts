import { Body, Controller, Param, Patch, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminOnly } from '../../common/auth/auth.decorators';
import { ApiErrors } from '../../common/docs/api-errors.decorator';
import { IdParamPipe } from '../../common/http/id-param.pipe';
import { CreateProductUseCase } from '../application/create-product.use-case';
import { UpdateOptionStockUseCase } from '../application/update-option-stock.use-case';
import { CreateProductRequest } from './create-product.request';
import { ProductResponse } from './product.response';
import { UpdateOptionStockRequest } from './update-option-stock.request';
import { ValidationFailedError } from '../../common/errors/domain-error';
import { ProductNotFoundError, StockBelowReservedError } from '../domain/product.errors';

@ApiTags('products')
@AdminOnly()
@Controller('admin/products')
export class AdminProductsController {
  constructor(
    private readonly createProduct: CreateProductUseCase,
    private readonly updateOptionStock: UpdateOptionStockUseCase,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Create a product', description: "A product with 1..50 options; each option's onHand starts at the stock given." })
  @ApiCreatedResponse({ type: ProductResponse, description: 'The product created, with the ids of its options' })
  @ApiErrors(ValidationFailedError)
  async create(@Body() body: CreateProductRequest): Promise<ProductResponse> {
    return ProductResponse.of(await this.createProduct.execute(body));
  }

  @Patch(':id/options/:optionId')
  @ApiOperation({ summary: "Recount an option's stock", description: 'Sets the physical count (onHand) of one option, never below what unpaid orders reserve.' })
  @ApiOkResponse({ type: ProductResponse, description: 'The whole product after the recount' })
  @ApiErrors(ValidationFailedError, ProductNotFoundError, StockBelowReservedError)
  async updateStock(
    @Param('id', IdParamPipe) id: number,
    @Param('optionId', IdParamPipe) optionId: number,
    @Body() body: UpdateOptionStockRequest,
  ): Promise<ProductResponse> {
    return ProductResponse.of(await this.updateOptionStock.execute(id, optionId, body.onHand));
  }
}
