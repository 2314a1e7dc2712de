import { errorOf } from '../../common/errors/domain-error';

export class CouponNotFoundError extends errorOf('COUPON_NOT_FOUND', 404) {
  constructor() {
    super('No such coupon');
  }
}

export class CouponSoldOutError extends errorOf('COUPON_SOLD_OUT', 409) {
  constructor() {
    super('Every coupon of this campaign has been issued');
  }
}

export class CouponAlreadyIssuedError extends errorOf('COUPON_ALREADY_ISSUED', 409) {
  constructor() {
    super('You already hold a coupon of this campaign');
  }
}

export class CouponExpiredError extends errorOf('COUPON_EXPIRED', 409) {
  constructor() {
    super('This coupon campaign has expired');
  }
}

export class CouponNotAvailableError extends errorOf('COUPON_NOT_AVAILABLE', 409) {
  constructor(reason: string) {
    super(`The coupon cannot be used: ${reason}`);
  }
}
