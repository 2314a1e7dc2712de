import { Transform } from 'class-transformer';

/**
 * Query strings arrive as text. Converts only a well-formed integer, so "1.5", "1e3" or "abc"
 * stay strings and fail @IsInt with a clear message instead of silently becoming numbers.
 */
export function QueryInt(): PropertyDecorator {
  return Transform(({ value }) => (typeof value === 'string' && /^-?[0-9]{1,16}$/.test(value) ? Number(value) : value));
}
