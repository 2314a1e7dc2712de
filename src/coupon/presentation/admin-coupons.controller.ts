import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminOnly } from '../../common/auth/auth.decorators';
import { ApiErrors } from '../../common/docs/api-errors.decorator';
import { IdParamPipe } from '../../common/http/id-param.pipe';
import { CreateCouponUseCase } from '../application/create-coupon.use-case';
import { GetCouponUseCase } from '../application/get-coupon.use-case';
import { CouponResponse } from './coupon.response';
import { CreateCouponRequest } from './create-coupon.request';
import { ValidationFailedError } from '../../common/errors/domain-error';
import { CouponNotFoundError } from '../domain/coupon.errors';

@ApiTags('coupons')
@AdminOnly()
@Controller('admin/coupons')
export class AdminCouponsController {
  constructor(
    private readonly createCoupon: CreateCouponUseCase,
    private readonly getCoupon: GetCouponUseCase,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Create a coupon', description: 'A coupon campaign: FIXED (won off) or RATE (percent off), how many to issue, and an optional expiry in the future.' })
  @ApiCreatedResponse({ type: CouponResponse, description: 'The coupon created' })
  @ApiErrors(ValidationFailedError)
  create(@Body() body: CreateCouponRequest): Promise<CouponResponse> {
    return this.createCoupon.execute({ ...body, expiresAt: body.expiresAt ? new Date(body.expiresAt) : null });
  }

  @Get(':couponId')
  @ApiOperation({ summary: 'Read a coupon', description: 'A coupon campaign, its issuedQuantity read from Postgres, the record of truth.' })
  @ApiOkResponse({ type: CouponResponse, description: 'The coupon' })
  @ApiErrors(ValidationFailedError, CouponNotFoundError)
  get(@Param('couponId', IdParamPipe) couponId: number): Promise<CouponResponse> {
    return this.getCoupon.execute(couponId);
  }
}
