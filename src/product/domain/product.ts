import { ValidationFailedError } from '../../common/errors/domain-error';
import { MAX_ON_HAND, ProductOption } from './product-option';

export const MAX_PRICE = 100_000_000;
export const MAX_OPTIONS = 50;
export const MAX_PRODUCT_NAME_LENGTH = 200;
export const MAX_OPTION_NAME_LENGTH = 100;

export interface NewProduct {
  name: string;
  price: number;
  options: { name: string; stock: number }[];
}

export class Product {
  constructor(
    readonly id: number,
    readonly name: string,
    /** Won, the same for every option. */
    readonly price: number,
    readonly options: readonly ProductOption[],
  ) {}

  /**
   * The request DTO checks each field on its own; this checks the product as a whole, so the
   * rules hold whoever calls the use case. Option names tell variants apart for a buyer, so
   * two options of one product may not share a name.
   */
  static assertNew(draft: NewProduct): void {
    const problems: string[] = [];
    if (!isName(draft.name, MAX_PRODUCT_NAME_LENGTH)) problems.push(`name must be 1 to ${MAX_PRODUCT_NAME_LENGTH} characters`);
    if (!isIntegerIn(draft.price, 0, MAX_PRICE)) problems.push(`price must be an integer from 0 to ${MAX_PRICE}`);
    if (draft.options.length < 1 || draft.options.length > MAX_OPTIONS) problems.push(`options must have 1 to ${MAX_OPTIONS} entries`);
    const seen = new Set<string>();
    for (const option of draft.options) {
      if (!isName(option.name, MAX_OPTION_NAME_LENGTH)) problems.push(`option name must be 1 to ${MAX_OPTION_NAME_LENGTH} characters`);
      if (!isIntegerIn(option.stock, 0, MAX_ON_HAND)) problems.push(`option stock must be an integer from 0 to ${MAX_ON_HAND}`);
      if (seen.has(option.name)) problems.push(`option name "${option.name}" appears more than once`);
      seen.add(option.name);
    }
    if (problems.length > 0) throw new ValidationFailedError('Validation failed', problems);
  }
}

/** Characters are code points, as Postgres counts them; NUL and unpaired surrogates cannot be stored as given. */
function isName(value: string, maxLength: number): boolean {
  const characters = [...value].length;
  return characters > 0 && characters <= maxLength && value.trim() === value && !value.includes('\0') && value.isWellFormed();
}

function isIntegerIn(value: number, min: number, max: number): boolean {
  return Number.isSafeInteger(value) && value >= min && value <= max;
}
