import { DomainError } from '../../common/errors/domain-error';

export class CouponNotFoundError extends DomainError {
  readonly code = 'COUPON_NOT_FOUND';
  constructor() {
    super('No such coupon');
  }
}

export class CouponSoldOutError extends DomainError {
  readonly code = 'COUPON_SOLD_OUT';
  constructor() {
    super('Every coupon of this campaign has been issued');
  }
}

export class CouponAlreadyIssuedError extends DomainError {
  readonly code = 'COUPON_ALREADY_ISSUED';
  constructor() {
    super('You already hold a coupon of this campaign');
  }
}

export class CouponExpiredError extends DomainError {
  readonly code = 'COUPON_EXPIRED';
  constructor() {
    super('This coupon campaign has expired');
  }
}

export class CouponNotAvailableError extends DomainError {
  readonly code = 'COUPON_NOT_AVAILABLE';
  constructor(reason: string) {
    super(`The coupon cannot be used: ${reason}`);
  }
}
