import { Controller, Get, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '../../common/auth/auth.decorators';
import type { AuthUser } from '../../common/auth/auth-user';
import { ApiErrors } from '../../common/docs/api-errors.decorator';
import { IdParamPipe } from '../../common/http/id-param.pipe';
import { IssueCouponUseCase } from '../application/issue-coupon.use-case';
import { ListMyCouponsUseCase } from '../application/list-my-coupons.use-case';
import { IssuedCouponResponse, MyCouponResponse } from './coupon.response';
import { ValidationFailedError } from '../../common/errors/domain-error';
import { CouponAlreadyIssuedError, CouponExpiredError, CouponNotFoundError, CouponSoldOutError } from '../domain/coupon.errors';

@ApiTags('coupons')
@Controller()
export class CouponsController {
  constructor(
    private readonly issueCoupon: IssueCouponUseCase,
    private readonly listMine: ListMyCouponsUseCase,
  ) {}

  @Post('coupons/:couponId/issue')
  @ApiOperation({ summary: 'Claim a coupon', description: 'Issues one coupon of the campaign to the caller, first come first served; a user holds at most one of a kind.' })
  @ApiCreatedResponse({ type: IssuedCouponResponse, description: 'First come, first served; one per user' })
  @ApiErrors(ValidationFailedError, CouponNotFoundError, CouponAlreadyIssuedError, CouponSoldOutError, CouponExpiredError)
  issue(@CurrentUser() user: AuthUser, @Param('couponId', IdParamPipe) couponId: number): Promise<IssuedCouponResponse> {
    return this.issueCoupon.execute(user.id, couponId);
  }

  @Get('me/coupons')
  @ApiOperation({ summary: 'List my coupons', description: "The caller's coupons, each AVAILABLE, USED or EXPIRED." })
  @ApiOkResponse({ type: [MyCouponResponse], description: "The caller's coupons" })
  mine(@CurrentUser() user: AuthUser): Promise<MyCouponResponse[]> {
    return this.listMine.execute(user.id);
  }
}
