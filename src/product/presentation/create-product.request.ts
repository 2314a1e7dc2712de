import { ApiProperty } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsInt, Max, Min, ValidateNested } from 'class-validator';
import { IsText } from '../../common/http/is-text.validator';
import { MAX_OPTION_NAME_LENGTH, MAX_OPTIONS, MAX_PRICE, MAX_PRODUCT_NAME_LENGTH } from '../domain/product';
import { MAX_ON_HAND } from '../domain/product-option';

/** Surrounding spaces are never meant: " Red" and "Red" are one name. */
const Trim = () => Transform(({ value }) => (typeof value === 'string' ? value.trim() : value));

export class CreateProductOptionRequest {
  @ApiProperty({ minLength: 1, maxLength: MAX_OPTION_NAME_LENGTH, example: 'Red / M', description: 'Characters (code points), trimmed; unique within the product; no NUL or unpaired surrogates' })
  @Trim() @IsText(MAX_OPTION_NAME_LENGTH)
  name: string;

  @ApiProperty({ type: 'integer', minimum: 0, maximum: MAX_ON_HAND, example: 100, description: 'Initial physical count (becomes onHand)' })
  @IsInt() @Min(0) @Max(MAX_ON_HAND)
  stock: number;
}

export class CreateProductRequest {
  @ApiProperty({ minLength: 1, maxLength: MAX_PRODUCT_NAME_LENGTH, example: 'Cotton T-shirt', description: 'Characters (code points), trimmed; no NUL or unpaired surrogates' })
  @Trim() @IsText(MAX_PRODUCT_NAME_LENGTH)
  name: string;

  @ApiProperty({ type: 'integer', minimum: 0, maximum: MAX_PRICE, example: 19_000, description: 'Won, for every option' })
  @IsInt() @Min(0) @Max(MAX_PRICE)
  price: number;

  @ApiProperty({ type: [CreateProductOptionRequest], minItems: 1, maxItems: MAX_OPTIONS })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(MAX_OPTIONS) @ValidateNested({ each: true }) @Type(() => CreateProductOptionRequest)
  options: CreateProductOptionRequest[];
}
