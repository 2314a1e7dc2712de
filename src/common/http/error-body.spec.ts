import { BadRequestException, NotFoundException, PayloadTooLargeException, ServiceUnavailableException } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import { errorOf, ValidationFailedError } from '../errors/domain-error';
import { toErrorBody } from './error-body';
import { RefusedJsonError } from './json-body';

class SoldOut extends errorOf('COUPON_SOLD_OUT', 409) {}
class Unmapped extends errorOf('SOMETHING_NEW', 500) {}

describe('toErrorBody', () => {
  it('maps a domain error to its contract status and keeps its message', () => {
    expect(toErrorBody(new SoldOut('No coupons left'))).toEqual({ statusCode: 409, code: 'COUPON_SOLD_OUT', message: 'No coupons left' });
  });

  it('adds the list of violations to VALIDATION_FAILED', () => {
    expect(toErrorBody(new ValidationFailedError('Validation failed', ['amount must be an integer']))).toEqual({
      statusCode: 400,
      code: 'VALIDATION_FAILED',
      message: 'Validation failed',
      errors: ['amount must be an integer'],
    });
  });

  it('answers a domain error of status 500 as a bare 500, its message kept out', () => {
    expect(toErrorBody(new Unmapped('secret detail'))).toEqual({ statusCode: 500, code: 'INTERNAL_ERROR', message: 'INTERNAL_ERROR' });
  });

  it('never leaks the message of an unknown error', () => {
    const body = toErrorBody(new Error('relation "users" does not exist at character 15'));
    expect(body).toEqual({ statusCode: 500, code: 'INTERNAL_ERROR', message: 'INTERNAL_ERROR' });
  });

  it('replaces framework messages with fixed text', () => {
    expect(toErrorBody(new BadRequestException('Unexpected token } in JSON at position 12'))).toEqual({
      statusCode: 400,
      code: 'VALIDATION_FAILED',
      message: expect.not.stringContaining('Unexpected token'),
    });
    expect(toErrorBody(new NotFoundException('Cannot GET /x'))).toMatchObject({ statusCode: 404, code: 'NOT_FOUND' });
    expect(toErrorBody(new PayloadTooLargeException())).toMatchObject({ statusCode: 413, code: 'PAYLOAD_TOO_LARGE' });
    expect(toErrorBody(new ThrottlerException())).toMatchObject({ statusCode: 429, code: 'TOO_MANY_REQUESTS' });
    expect(toErrorBody(new ServiceUnavailableException({ details: 'db down' }))).toMatchObject({ statusCode: 503, code: 'SERVICE_UNAVAILABLE' });
  });

  it('answers 413 for body-parser size errors that never reached Nest', () => {
    const tooLarge = Object.assign(new Error('request entity too large'), { status: 413, expose: true, type: 'entity.too.large' });
    expect(toErrorBody(tooLarge)).toMatchObject({ statusCode: 413, code: 'PAYLOAD_TOO_LARGE' });
  });

  it('answers a refused JSON body with 400 VALIDATION_FAILED, also after body-parser stripped its own properties', () => {
    const refused = new RefusedJsonError('the key __proto__ is not allowed');
    for (const key of Object.getOwnPropertyNames(refused)) if (key !== 'message' && key !== 'stack') delete (refused as unknown as Record<string, unknown>)[key];
    expect(toErrorBody(Object.assign(refused, { status: 400, expose: true }))).toEqual({
      statusCode: 400,
      code: 'VALIDATION_FAILED',
      message: 'Validation failed',
      errors: ['the key __proto__ is not allowed'],
    });
  });

  it('answers 415 UNSUPPORTED_MEDIA_TYPE for body-parser charset and encoding errors', () => {
    const unsupported = Object.assign(new Error('unsupported charset "LATIN1"'), { status: 415, expose: true, type: 'charset.unsupported' });
    expect(toErrorBody(unsupported)).toEqual({ statusCode: 415, code: 'UNSUPPORTED_MEDIA_TYPE', message: expect.not.stringContaining('LATIN1') });
  });

  it('keeps the list of violations short however long it is', () => {
    const body = toErrorBody(new ValidationFailedError('Validation failed', Array.from({ length: 500 }, (_, i) => `property ${'k'.repeat(1_000)}${i} should not exist`)));
    expect(body.errors).toHaveLength(20);
    expect(body.errors![19]).toBe('and 481 more');
    expect(JSON.stringify(body).length).toBeLessThan(5_000);
  });

  it.each([
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    ['a pool connect timeout', new Error('timeout exceeded when trying to connect')],
    ['a terminated backend (57P01)', { name: 'QueryFailedError', message: 'terminating connection', driverError: { code: '57P01' } }],
    ['a lock timeout (55P03)', { name: 'QueryFailedError', message: 'canceling statement', driverError: { code: '55P03' } }],
    ['a deadlock (40P01)', { name: 'QueryFailedError', message: 'deadlock detected', driverError: { code: '40P01' } }],
    ['a redis command timeout', new Error('Command timed out')],
    ['a released query runner', Object.assign(new Error('Query runner already released. Cannot run queries anymore.'), { name: 'QueryRunnerAlreadyReleasedError' })],
    [
      'a transaction whose connection died',
      Object.assign(new Error('Database connection provided by a query runner was already released, cannot continue to use its querying methods anymore.'), {
        name: 'QueryRunnerProviderAlreadyReleasedError',
      }),
    ],
    ['a redis offline queue refusal', new Error("Stream isn't writeable and enableOfflineQueue options is false")],
  ])('answers %s with 503 SERVICE_UNAVAILABLE', (_, error) => {
    expect(toErrorBody(error)).toEqual({ statusCode: 503, code: 'SERVICE_UNAVAILABLE', message: expect.any(String) });
  });

  it('does not call a constraint violation a transient outage', () => {
    const violation = { name: 'QueryFailedError', message: 'violates check constraint', driverError: { code: '23514' } };
    expect(toErrorBody(violation)).toMatchObject({ statusCode: 500, code: 'INTERNAL_ERROR' });
  });
});
