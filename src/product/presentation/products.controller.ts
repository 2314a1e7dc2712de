import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Public } from '../../common/auth/auth.decorators';
import { ApiErrors } from '../../common/docs/api-errors.decorator';
import { IdParamPipe } from '../../common/http/id-param.pipe';
import { GetProductUseCase } from '../application/get-product.use-case';
import { ListProductsUseCase } from '../application/list-products.use-case';
import { ListProductsQuery } from './list-products.query';
import { ProductPageResponse, ProductResponse } from './product.response';
import { ValidationFailedError } from '../../common/errors/domain-error';
import { ProductNotFoundError } from '../domain/product.errors';

@ApiTags('products')
@Public()
@Controller('products')
export class ProductsController {
  constructor(
    private readonly listProducts: ListProductsUseCase,
    private readonly getProduct: GetProductUseCase,
  ) {}

  @Get()
  @ApiOkResponse({ type: ProductPageResponse })
  @ApiErrors(ValidationFailedError)
  async list(@Query() query: ListProductsQuery): Promise<ProductPageResponse> {
    const page = await this.listProducts.execute(query.page, query.size);
    return { items: page.items.map(ProductResponse.of), total: page.total };
  }

  @Get(':id')
  @ApiOkResponse({ type: ProductResponse })
  @ApiErrors(ValidationFailedError, ProductNotFoundError)
  async get(@Param('id', IdParamPipe) id: number): Promise<ProductResponse> {
    return ProductResponse.of(await this.getProduct.execute(id));
  }
}
