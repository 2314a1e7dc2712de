import { ConfigError } from './common/config/settings';
import { loadConfig } from './app.settings';

const valid = {
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/shop',
  REDIS_URL: 'redis://127.0.0.1:6379/2',
  JWT_SECRET: 'a-secret-of-sixteen-plus',
};

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    expect(loadConfig(valid)).toMatchObject({
      PORT: 3000,
      ORDER_TTL_SECONDS: 600,
      SHOP_TIMEZONE: 'Asia/Seoul',
      LOG_LEVEL: 'info',
      RATE_LIMIT_PER_MINUTE: undefined,
      DATA_PLATFORM_URL: undefined,
      NATS_URL: undefined,
      EVENT_LOG_STREAM: 'SHOP_ORDERS',
      DATABASE_POOLING: 'session',
    });
  });

  it('takes transaction pooling (PgBouncer pool_mode = transaction)', () => {
    expect(loadConfig({ ...valid, DATABASE_POOLING: 'transaction' }).DATABASE_POOLING).toBe('transaction');
  });

  it('applies the defaults of the HTTP server limits and the open-order cap', () => {
    expect(loadConfig(valid)).toMatchObject({
      HTTP_HEADERS_TIMEOUT_MS: 10_000,
      HTTP_REQUEST_TIMEOUT_MS: 30_000,
      HTTP_KEEP_ALIVE_TIMEOUT_MS: 5_000,
      MAX_OPEN_ORDERS_PER_USER: 10,
    });
  });

  it('converts numbers and treats empty values as unset', () => {
    const config = loadConfig({ ...valid, PORT: '8080', RATE_LIMIT_PER_MINUTE: '', ORDER_TTL_SECONDS: ' 30 ' });
    expect(config.PORT).toBe(8080);
    expect(config.ORDER_TTL_SECONDS).toBe(30);
    expect(config.RATE_LIMIT_PER_MINUTE).toBeUndefined();
  });

  it.each([
    [{ DATABASE_URL: undefined }, /DATABASE_URL is required/],
    [{ REDIS_URL: undefined }, /REDIS_URL is required/],
    [{ JWT_SECRET: undefined }, /JWT_SECRET is required/],
    [{ JWT_SECRET: 'short' }, /JWT_SECRET must be at least 16 characters/],
    [{ PORT: 'abc' }, /PORT/],
    [{ PORT: '70000' }, /PORT/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL must be a postgres/],
    [{ SHOP_TIMEZONE: 'Mars/Olympus' }, /SHOP_TIMEZONE must be an IANA time zone/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL/],
    [{ RATE_LIMIT_PER_MINUTE: '0' }, /RATE_LIMIT_PER_MINUTE/],
    [{ DATA_PLATFORM_URL: 'not a url' }, /DATA_PLATFORM_URL/],
    [{ ORDER_TTL_SECONDS: '1.5' }, /ORDER_TTL_SECONDS/],
    [{ HTTP_HEADERS_TIMEOUT_MS: '0' }, /HTTP_HEADERS_TIMEOUT_MS/],
    [{ HTTP_KEEP_ALIVE_TIMEOUT_MS: 'never' }, /HTTP_KEEP_ALIVE_TIMEOUT_MS/],
    [{ MAX_OPEN_ORDERS_PER_USER: '0' }, /MAX_OPEN_ORDERS_PER_USER/],
    [{ NATS_URL: 'http://127.0.0.1:4222' }, /NATS_URL/],
    [{ NATS_URL: 'nats://a:4222,nats://b:4222' }, /NATS_URL/],
    [{ EVENT_LOG_STREAM: 'shop.orders' }, /EVENT_LOG_STREAM/],
    [{ DATABASE_POOLING: 'pgbouncer' }, /DATABASE_POOLING/],
    [{ DATABASE_POOLING: 'pgbouncer' }, /DATABASE_POOLING/],
  ])('stops on %p with one line naming the variable', (override, message) => {
    const attempt = () => loadConfig({ ...valid, ...override });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(message);
    try {
      attempt();
    } catch (error) {
      expect((error as Error).message).not.toContain('\n');
    }
  });

  it('never echoes the secret in its message', () => {
    expect(() => loadConfig({ ...valid, JWT_SECRET: 'tiny' })).toThrow(expect.objectContaining({ message: expect.not.stringContaining('tiny') }));
  });
});
