import { ValidateBy } from 'class-validator';

/**
 * API.md, Limits: text fields count characters (code points, as Postgres's varchar and JSON
 * Schema's maxLength do, not UTF-16 units), and NUL (which Postgres cannot store) and lone
 * surrogates (which would be stored as U+FFFD) are refused.
 */
export function IsText(maxLength: number, minLength = 1): PropertyDecorator {
  return ValidateBy({
    name: 'isText',
    constraints: [minLength, maxLength],
    validator: {
      validate: (value: unknown) => typeof value === 'string' && !value.includes('\0') && value.isWellFormed() && isLengthIn([...value].length, minLength, maxLength),
      defaultMessage: () => `$property must be ${minLength} to ${maxLength} characters, without NUL or unpaired surrogates`,
    },
  });
}

function isLengthIn(length: number, min: number, max: number): boolean {
  return length >= min && length <= max;
}
