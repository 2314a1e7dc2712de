import 'reflect-metadata';
import { Validate } from 'class-validator';
import { IsTimeZone } from '../common/config/is-time-zone.validator';

/** The product module's settings (the sales ranking's calendar). */
export class ProductSettings {
  @Validate(IsTimeZone)
  SHOP_TIMEZONE = 'Asia/Seoul';
}
