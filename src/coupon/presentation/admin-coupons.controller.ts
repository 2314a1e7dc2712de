import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AdminOnly } from '../../common/auth/auth.decorators';
import { ApiErrors } from '../../common/docs/api-errors.decorator';
import { IdParamPipe } from '../../common/http/id-param.pipe';
import { CreateCouponUseCase } from '../application/create-coupon.use-case';
import { GetCouponUseCase } from '../application/get-coupon.use-case';
import { CouponResponse } from './coupon.response';
import { CreateCouponRequest } from './create-coupon.request';
import { UnauthorizedError } from '../../common/auth/auth.errors';
import { ValidationFailedError } from '../../common/errors/domain-error';
import { CouponNotFoundError } from '../domain/coupon.errors';

@ApiTags('coupons')
@AdminOnly()
@ApiErrors(UnauthorizedError)
@Controller('admin/coupons')
export class AdminCouponsController {
  constructor(
    private readonly createCoupon: CreateCouponUseCase,
    private readonly getCoupon: GetCouponUseCase,
  ) {}

  @Post()
  @ApiCreatedResponse({ type: CouponResponse })
  @ApiErrors(ValidationFailedError)
  create(@Body() body: CreateCouponRequest): Promise<CouponResponse> {
    return this.createCoupon.execute({ ...body, expiresAt: body.expiresAt ? new Date(body.expiresAt) : null });
  }

  @Get(':couponId')
  @ApiOkResponse({ type: CouponResponse })
  @ApiErrors(ValidationFailedError, CouponNotFoundError)
  get(@Param('couponId', IdParamPipe) couponId: number): Promise<CouponResponse> {
    return this.getCoupon.execute(couponId);
  }
}
