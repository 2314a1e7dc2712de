import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
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
  @ApiOperation({ summary: 'List products', description: 'The catalog by id ascending, a page at a time, each option with its stock.' })
  @ApiOkResponse({ type: ProductPageResponse, description: 'A page of the catalog, and how many products it holds' })
  @ApiErrors(ValidationFailedError)
  async list(@Query() query: ListProductsQuery): Promise<ProductPageResponse> {
    const page = await this.listProducts.execute(query.page, query.size);
    return { items: page.items.map(ProductResponse.of), total: page.total };
  }

  @Get(':id')
  @ApiOperation({ summary: 'Read a product', description: 'A product with its options: onHand (the physical count), reserved (held by unpaid orders) and stock (what can still be ordered).' })
  @ApiOkResponse({ type: ProductResponse, description: 'The product' })
  @ApiErrors(ValidationFailedError, ProductNotFoundError)
  async get(@Param('id', IdParamPipe) id: number): Promise<ProductResponse> {
    return ProductResponse.of(await this.getProduct.execute(id));
  }
}
