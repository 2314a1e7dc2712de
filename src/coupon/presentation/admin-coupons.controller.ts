import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AdminOnly } from '../../common/auth/auth.decorators';
import { ApiErrors } from '../../common/docs/api-errors.decorator';
import { IdParamPipe } from '../../common/http/id-param.pipe';
import { CreateCouponUseCase } from '../application/create-coupon.use-case';
import { GetCouponUseCase } from '../application/get-coupon.use-case';
import { CouponResponse } from './coupon.response';
import { CreateCouponRequest } from './create-coupon.request';

@ApiTags('coupons')
@AdminOnly()
@ApiErrors('UNAUTHORIZED')
@Controller('admin/coupons')
export class AdminCouponsController {
  constructor(
    private readonly createCoupon: CreateCouponUseCase,
    private readonly getCoupon: GetCouponUseCase,
  ) {}

  @Post()
  @ApiCreatedResponse({ type: CouponResponse })
  @ApiErrors('VALIDATION_FAILED')
  create(@Body() body: CreateCouponRequest): Promise<CouponResponse> {
    return this.createCoupon.execute({ ...body, expiresAt: body.expiresAt ? new Date(body.expiresAt) : null });
  }

  @Get(':couponId')
  @ApiOkResponse({ type: CouponResponse })
  @ApiErrors('VALIDATION_FAILED', 'COUPON_NOT_FOUND')
  get(@Param('couponId', IdParamPipe) couponId: number): Promise<CouponResponse> {
    return this.getCoupon.execute(couponId);
  }
}
