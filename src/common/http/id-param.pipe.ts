import { Injectable, PipeTransform } from '@nestjs/common';
import { ValidationFailedError } from '../errors/domain-error';

/** Route ids are positive integers; anything else is a malformed request, not a missing one. */
@Injectable()
export class IdParamPipe implements PipeTransform<string, number> {
  transform(value: string): number {
    if (!/^[1-9][0-9]{0,15}$/.test(value) || !Number.isSafeInteger(Number(value))) {
      throw new ValidationFailedError('Validation failed', [`id must be a positive integer (got "${value.slice(0, 20)}")`]);
    }
    return Number(value);
  }
}
