import { redactUrl } from './redact-url';

const jwt = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxIiwicm9sZSI6InVzZXIifQ.1cEgI-ry3LgFtuCc7A1pmKEwNKRrokgu8rYUJungwKs';

describe('redactUrl', () => {
  it.each([
    [`/me/balance?access_token=${jwt}`, '/me/balance?access_token=[REDACTED]'],
    ['/products?page=2&id_token=opaque', '/products?page=2&id_token=[REDACTED]'],
    ['/x?api_key=abc&Password=p&sessionId=s&X-Amz-Signature=q', '/x?api_key=[REDACTED]&Password=[REDACTED]&sessionId=[REDACTED]&X-Amz-Signature=[REDACTED]'],
    [`/products?page=1&x=${jwt}`, '/products?page=1&x=[REDACTED]'],
    [`/products?Authorization=Bearer%20${jwt}`, '/products?Authorization=[REDACTED]'],
    [`/products?q=${encodeURIComponent(`Bearer ${jwt}`)}`, '/products?q=[REDACTED]'],
    [`/orders/${jwt}/cancel`, '/orders/[REDACTED]/cancel'],
    [`/orders/${encodeURIComponent(jwt)}`, '/orders/[REDACTED]'],
    [`/x?${jwt}`, '/x?[REDACTED]=[REDACTED]'],
  ])('redacts %s', (url, expected) => {
    expect(redactUrl(url)).toBe(expected);
  });

  it.each(['/products?page=2&size=20', '/orders/12', '/me/balance/logs?limit=20&cursor=aWQ6NQ', '/products/top?days=3&limit=5', '/x?a=%E0%A4%A', '/v1.2.3/x?v=1.2.3'])(
    'keeps %s as it is',
    (url) => {
      expect(redactUrl(url)).toBe(url);
    },
  );
});
