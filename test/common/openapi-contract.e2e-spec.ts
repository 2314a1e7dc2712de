import { errorOf } from '../../src/common/errors/domain-error';
import { GetBalanceUseCase } from '../../src/user/application/get-balance.use-case';
import { OpenApiContract, OpenApiDocument, undescribedAnswers } from '../support/openapi-contract';
import { send } from '../support/raw-http';
import { bearer, createTestApp, TestApp } from '../support/test-app';

class TeapotError extends errorOf('TEAPOT', 418) {}

/**
 * The check every e2e answer goes through (test/support/openapi-contract.ts): shown here to find
 * what it is there to find, with a balance route made to answer what its document does not say.
 */
describe('answers checked against the OpenAPI document (e2e)', () => {
  let t: TestApp;
  let contract: OpenApiContract;
  /** What GET /me/balance answers next. */
  let balanceAnswer: () => unknown;
  const take = () => undescribedAnswers.splice(0);

  beforeAll(async () => {
    t = await createTestApp({
      override: (builder) =>
        builder.overrideProvider(GetBalanceUseCase).useValue({ execute: async (userId: number) => balanceAnswer() ?? { userId, balance: 0 } }),
    });
    contract = new OpenApiContract((await t.http().get('/docs-json').expect(200)).body as OpenApiDocument);
  });
  beforeEach(() => (balanceAnswer = () => undefined));
  afterAll(() => t.close());

  it('lets through what the document describes: an answer, a refusal, a route that does not exist, the documentation', async () => {
    await t.http().get('/me/balance').set(bearer(t.token(1))).expect(200);
    await t.http().get('/me/balance').expect(401);
    await t.http().get('/products/1').expect(404);
    await t.http().get('/no/such/route').expect(404);
    await t.http().get('/metrics').expect(200);
    await t.http().get('/docs-json').expect(200);
    expect(take()).toEqual([]);
  });

  it('records a field the schema does not name, a value of the wrong type, and a missing one', async () => {
    for (const [answer, problem] of [
      [{ userId: 1, balance: 0, secret: 'x' }, /must NOT have additional properties: secret/],
      [{ userId: 1, balance: '0' }, /\/balance must be number/],
      [{ userId: 1 }, /must have required property 'balance'/],
    ] as const) {
      balanceAnswer = () => answer;
      await t.http().get('/me/balance').set(bearer(t.token(1))).expect(200);
      const found = take();
      expect(found).toHaveLength(1);
      expect(found[0]).toMatch(/^GET \/me\/balance answered 200: the body does not match GET \/me\/balance's 200 schema/);
      expect(found[0]).toMatch(problem);
    }
  });

  it('records a status the operation does not declare, whoever sent the request', async () => {
    balanceAnswer = () => {
      throw new TeapotError('short and stout');
    };
    expect((await send(t.baseUrl, 'GET', '/me/balance', { headers: bearer(t.token(1)) })).status).toBe(418);
    expect(take()).toEqual([expect.stringMatching(/^GET \/me\/balance answered 418: GET \/me\/balance does not declare 418 \(it declares 200, 400, 401, /)]);
  });

  it('refuses, as a client of the document would, a success without a token where it says one is needed, and an operation it does not have', () => {
    const exchange = { method: 'GET', url: '/me/balance', authorized: false, status: 200, contentType: 'application/json; charset=utf-8', body: '{"userId":1,"balance":0}' };
    expect(contract.violation(exchange)).toMatch(/without a token, but the document says GET \/me\/balance needs one/);
    expect(contract.violation({ ...exchange, authorized: true })).toBeNull();
    expect(contract.violation({ ...exchange, method: 'DELETE', authorized: true })).toMatch(/the document has no such operation/);
    expect(contract.violation({ ...exchange, authorized: true, contentType: 'text/html' })).toMatch(/as text\/html, but GET \/me\/balance declares application\/json/);
  });
});
