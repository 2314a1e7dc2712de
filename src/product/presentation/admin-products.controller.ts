import { Body, Controller, Param, Patch, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AdminOnly } from '../../common/auth/auth.decorators';
import { ApiErrors } from '../../common/docs/api-errors.decorator';
import { IdParamPipe } from '../../common/http/id-param.pipe';
import { CreateProductUseCase } from '../application/create-product.use-case';
import { UpdateOptionStockUseCase } from '../application/update-option-stock.use-case';
import { CreateProductRequest } from './create-product.request';
import { ProductResponse } from './product.response';
import { UpdateOptionStockRequest } from './update-option-stock.request';
import { UnauthorizedError } from '../../common/auth/auth.errors';
import { ValidationFailedError } from '../../common/errors/domain-error';
import { ProductNotFoundError, StockBelowReservedError } from '../domain/product.errors';

@ApiTags('admin: products')
@AdminOnly()
@ApiErrors(UnauthorizedError)
@Controller('admin/products')
export class AdminProductsController {
  constructor(
    private readonly createProduct: CreateProductUseCase,
    private readonly updateOptionStock: UpdateOptionStockUseCase,
  ) {}

  @Post()
  @ApiCreatedResponse({ type: ProductResponse })
  @ApiErrors(ValidationFailedError)
  async create(@Body() body: CreateProductRequest): Promise<ProductResponse> {
    return ProductResponse.of(await this.createProduct.execute(body));
  }

  @Patch(':id/options/:optionId')
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
