import { ApiProperty } from '@nestjs/swagger';

export class CouponResponse {
  @ApiProperty() id: number;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ['FIXED', 'RATE'] }) discountType: string;
  @ApiProperty() discountValue: number;
  @ApiProperty() totalQuantity: number;
  @ApiProperty({ description: 'Read from Postgres, the record of truth' }) issuedQuantity: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) expiresAt: Date | null;
}

export class IssuedCouponResponse {
  @ApiProperty() userCouponId: number;
  @ApiProperty() couponId: number;
  @ApiProperty({ enum: ['AVAILABLE'] }) status: 'AVAILABLE';
}

export class MyCouponResponse {
  @ApiProperty() userCouponId: number;
  @ApiProperty() couponId: number;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ['FIXED', 'RATE'] }) discountType: string;
  @ApiProperty() discountValue: number;
  @ApiProperty({ enum: ['AVAILABLE', 'USED', 'EXPIRED'] }) status: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) expiresAt: Date | null;
}
