import { Controller, Get, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '../../common/auth/auth.decorators';
import type { AuthUser } from '../../common/auth/auth-user';
import { ApiErrors } from '../../common/docs/api-errors.decorator';
import { IdParamPipe } from '../../common/http/id-param.pipe';
import { IssueCouponUseCase } from '../application/issue-coupon.use-case';
import { ListMyCouponsUseCase } from '../application/list-my-coupons.use-case';
import { IssuedCouponResponse, MyCouponResponse } from './coupon.response';

@ApiTags('coupons')
@ApiBearerAuth()
@ApiErrors('UNAUTHORIZED')
@Controller()
export class CouponsController {
  constructor(
    private readonly issueCoupon: IssueCouponUseCase,
    private readonly listMine: ListMyCouponsUseCase,
  ) {}

  @Post('coupons/:couponId/issue')
  @ApiCreatedResponse({ type: IssuedCouponResponse, description: 'First come, first served; one per user' })
  @ApiErrors('VALIDATION_FAILED', 'COUPON_NOT_FOUND', 'COUPON_ALREADY_ISSUED', 'COUPON_SOLD_OUT', 'COUPON_EXPIRED')
  issue(@CurrentUser() user: AuthUser, @Param('couponId', IdParamPipe) couponId: number): Promise<IssuedCouponResponse> {
    return this.issueCoupon.execute(user.id, couponId);
  }

  @Get('me/coupons')
  @ApiOkResponse({ type: [MyCouponResponse] })
  mine(@CurrentUser() user: AuthUser): Promise<MyCouponResponse[]> {
    return this.listMine.execute(user.id);
  }
}
