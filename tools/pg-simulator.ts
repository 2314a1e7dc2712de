/**
 * A payment gateway that speaks the subset of the Toss Payments v1 API the shop uses (confirm,
 * look up by order id or payment key, cancel), with the failures a real gateway has on demand.
 * Tests, the quick start and the benchmarks run it instead of Toss. One file importing only Node
 * built-ins, written in erasable TypeScript: ts-jest compiles it and Node 24 runs it as it is.
 * tools/README.md describes the routes.
 */
import { randomBytes, randomInt } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** How the gateway answers a checkout session's confirm (and cancels, for `cancel-fails`). */
export type Behaviour =
  | { kind: 'approve' }
  /** `code` defaults to REJECT_CARD_PAYMENT; `status` to 403 for REJECT_* codes and 400 for the others, as Toss answers. */
  | { kind: 'decline'; code?: string; status?: number; message?: string }
  | { kind: 'slow'; delayMs: number }
  /** The confirm is never answered: only the client's timeout ends it. */
  | { kind: 'hang' }
  /** Approved, but the client gets a 500 (default) or a dropped connection instead of the 200. */
  | { kind: 'lost-answer'; answer?: 500 | 'destroy' }
  /** Not approved when the confirm ends (a 500 by default, or no answer at all); approved by itself `lateMs` after it began. */
  | { kind: 'late-approval'; lateMs: number; answer?: 500 | 'timeout' }
  /** Approves; then the first `times` cancels answer 500 (-1 or Infinity: every cancel). */
  | { kind: 'cancel-fails'; times: number };

export type PaymentStatus = 'IN_PROGRESS' | 'DONE' | 'CANCELED' | 'PARTIAL_CANCELED' | 'ABORTED' | 'EXPIRED';

export interface TossCancel {
  transactionKey: string;
  cancelReason: string;
  cancelAmount: number;
  canceledAt: string;
  refundableAmount: number;
  taxFreeAmount: number;
  taxExemptionAmount: number;
  easyPayDiscountAmount: number;
  transferDiscountAmount: number;
  receiptKey: null;
  cancelStatus: 'DONE';
  cancelRequestId: null;
}

export interface TossCard {
  issuerCode: string;
  acquirerCode: string;
  number: string;
  installmentPlanMonths: number;
  isInterestFree: boolean;
  interestPayer: null;
  approveNo: string;
  useCardPoint: boolean;
  cardType: string;
  ownerType: string;
  acquireStatus: string;
  amount: number;
}

/** Toss's Payment object (version 2022-11-16), with the fields of other payment methods left null. */
export interface TossPayment {
  mId: string;
  version: string;
  paymentKey: string;
  lastTransactionKey: string | null;
  orderId: string;
  orderName: string;
  type: 'NORMAL';
  method: '카드';
  status: PaymentStatus;
  requestedAt: string;
  approvedAt: string | null;
  currency: 'KRW';
  country: 'KR';
  totalAmount: number;
  balanceAmount: number;
  suppliedAmount: number;
  vat: number;
  taxFreeAmount: number;
  taxExemptionAmount: number;
  isPartialCancelable: boolean;
  useEscrow: boolean;
  cultureExpense: boolean;
  card: TossCard | null;
  cancels: TossCancel[] | null;
  failure: { code: string; message: string } | null;
  virtualAccount: null;
  transfer: null;
  mobilePhone: null;
  giftCertificate: null;
  cashReceipt: null;
  cashReceipts: null;
  discount: null;
  easyPay: null;
  secret: null;
  receipt: null;
  checkout: null;
  metadata: null;
}

export interface RecordedCall {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body, the raw text when it was not JSON, null when there was none. */
  body: unknown;
  /** The status the client got; null while unanswered, and for good when it never got one (hang, dropped connection). */
  status: number | null;
  /** True when the answer was a stored one, replayed for a repeated Idempotency-Key. */
  replayed: boolean;
  at: string;
}

export interface PgSimulatorOptions {
  /** The one secret key accepted in `Authorization: Basic base64(secretKey + ":")`. */
  secretKey?: string;
  /** Added before every confirm and cancel answer, as a real gateway takes ~200 ms. */
  delayMs?: number;
}

interface Answer {
  status: number;
  body: unknown;
}

/**
 * What a /v1 route did. `lost`: the answer stands (and is what an Idempotency-Key replays) but the
 * client gets a 500, a dropped connection, or nothing ever. 'hang': the request never finishes.
 */
type Outcome = (Answer & { lost?: 500 | 'destroy' | 'never' }) | 'hang';

interface Session {
  payment: TossPayment;
  behaviour?: Behaviour;
  cancelFailures: number;
  /** Order in which sessions became visible to lookups: the latest answers for its order id. */
  shownAt: number;
}

type Fields = Record<string, unknown>;

const KINDS = ['approve', 'decline', 'slow', 'hang', 'lost-answer', 'late-approval', 'cancel-fails'];
const REQUIRED_NUMBER: Record<string, string> = { slow: 'delayMs', 'late-approval': 'lateMs', 'cancel-fails': 'times' };
/** Statuses under which Toss refuses another payment with the same orderId (DUPLICATED_ORDER_ID). */
const CHARGED: readonly PaymentStatus[] = ['DONE', 'PARTIAL_CANCELED', 'CANCELED'];
const NOT_JSON = Symbol('not JSON');

/** Thrown by the in-process API and answered 400 by the /sim routes: the caller asked for something impossible. */
export class SimulatorInputError extends Error {}

export class PgSimulator {
  /** Added before every confirm and cancel answer. */
  delayMs: number;
  private readonly authorization: string;
  private readonly server: Server;
  private readonly sessions = new Map<string, Session>();
  private readonly byOrder = new Map<string, Session[]>();
  /** Toss keys idempotency on (secret key, method, path, key); one secret key is accepted, so method, path and key suffice. */
  private readonly idempotency = new Map<string, Answer | 'running'>();
  private readonly recorded: RecordedCall[] = [];
  private fallback: Behaviour = { kind: 'approve' };
  private outage: '503' | 'refuse' | null = null;
  private shown = 0;
  private host = '127.0.0.1';
  private port = 0;
  /** Aborted by reset() and stop(): cancels every pending delay and late approval. */
  private lifetime = new AbortController();

  constructor(options: PgSimulatorOptions = {}) {
    this.authorization = `Basic ${Buffer.from(`${options.secretKey ?? 'test_sk_simulator'}:`).toString('base64')}`;
    this.delayMs = options.delayMs ?? 0;
    this.server = createServer((req, res) => void this.handle(req, res));
  }

  /** Listens on `port` (0: any free port) and `host`. */
  async start(port = 0, host = '127.0.0.1'): Promise<void> {
    this.host = host;
    await this.listen(port);
  }

  /** Base URL, e.g. http://127.0.0.1:4100: what PG_BASE_URL is set to. */
  get url(): string {
    return `http://${this.host.includes(':') ? `[${this.host}]` : this.host}:${this.port}`;
  }

  /** Closes every connection, hung ones included, and stops listening. */
  async stop(): Promise<void> {
    this.lifetime.abort();
    await this.close();
  }

  /** An outage: every /v1 call answers 503 ('503', default), or the port refuses connections ('refuse') until up(). */
  async down(mode: '503' | 'refuse' = '503'): Promise<void> {
    this.outage = mode;
    if (mode === 'refuse') await this.close();
  }

  /** Ends an outage; after 'refuse' it listens again on the same port. */
  async up(): Promise<void> {
    if (!this.server.listening) await this.listen(this.port);
    this.outage = null;
  }

  /** What the checkout widget does when the customer authorises `amount` for `orderId`: returns the paymentKey to confirm. */
  checkout(orderId: string, amount: number, behaviour?: Behaviour): string {
    if (typeof orderId !== 'string' || orderId === '') throw new SimulatorInputError('orderId must be a non-empty string');
    if (!Number.isSafeInteger(amount) || amount <= 0) throw new SimulatorInputError('amount must be a positive integer');
    const paymentKey = `tsim_${randomBytes(12).toString('hex')}`;
    const session: Session = { payment: newPayment(paymentKey, orderId, amount), cancelFailures: 0, shownAt: 0 };
    if (behaviour !== undefined) session.behaviour = behaviourFrom(behaviour);
    this.sessions.set(paymentKey, session);
    this.byOrder.set(orderId, [...(this.byOrder.get(orderId) ?? []), session]);
    return paymentKey;
  }

  /** Changes one session's behaviour from now on: e.g. its cancels fail after its late approval. */
  behave(paymentKey: string, behaviour: Behaviour): void {
    const session = this.sessions.get(paymentKey);
    if (!session) throw new SimulatorInputError(`no session ${paymentKey}`);
    session.behaviour = behaviourFrom(behaviour);
  }

  /** Sets the default behaviour of sessions without their own, including sessions already checked out. */
  setBehaviour(behaviour: Behaviour): void {
    this.fallback = behaviourFrom(behaviour);
  }

  /** The default behaviour: approve, unless setBehaviour() said otherwise. */
  get behaviour(): Behaviour {
    return this.fallback;
  }

  /** The customer's session timed out unconfirmed: confirm now answers NOT_FOUND_PAYMENT_SESSION and lookups say EXPIRED. */
  expire(paymentKey: string): void {
    const session = this.sessions.get(paymentKey);
    if (session?.payment.status !== 'IN_PROGRESS') throw new SimulatorInputError(`no unconfirmed session ${paymentKey}`);
    session.payment.status = 'EXPIRED';
    this.show(session);
  }

  /** Forgets every session, payment, idempotency key, recorded call and the default behaviour; delay and outage stay. */
  reset(): void {
    this.lifetime.abort();
    this.lifetime = new AbortController();
    this.sessions.clear();
    this.byOrder.clear();
    this.idempotency.clear();
    this.recorded.length = 0;
    this.fallback = { kind: 'approve' };
  }

  /** Every /v1 call received, oldest first. */
  get calls(): readonly RecordedCall[] {
    return this.recorded;
  }

  /** Every checkout session's payment as Toss would show it (IN_PROGRESS: authorised, not confirmed). */
  payments(): TossPayment[] {
    return [...this.sessions.values()].map((s) => structuredClone(s.payment));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const path = new URL(req.url ?? '/', 'http://simulator').pathname;
      const text = await readText(req);
      if (path.startsWith('/v1/')) await this.v1(req, res, path, text);
      else send(res, await this.sim(req.method ?? '', path, parseBody(text), res));
    } catch (error) {
      // reset() and stop() abort pending delays: the connection goes, as a crashed gateway's would.
      if ((error as Error).name === 'AbortError' || res.headersSent) res.destroy();
      else send(res, { status: 500, body: { code: 'SIMULATOR_ERROR', message: String(error) } });
    }
  }

  private async v1(req: IncomingMessage, res: ServerResponse, path: string, text: string): Promise<void> {
    const method = req.method ?? '';
    const body = parseBody(text);
    const recordedBody = body === NOT_JSON ? text : (body ?? null);
    const call: RecordedCall = { method, path, headers: req.headers, body: recordedBody, status: null, replayed: false, at: new Date().toISOString() };
    this.recorded.push(call);
    const answer = (a: Answer) => {
      call.status = a.status;
      send(res, a);
    };
    if (this.outage === '503') return answer(systemFailure(503));
    if (req.headers.authorization !== this.authorization) return answer(fail(401, 'UNAUTHORIZED_KEY', '인증되지 않은 시크릿 키 혹은 클라이언트 키 입니다.'));
    const route = this.route(method, path);
    if (!route) return answer(fail(404, 'NOT_FOUND', `no route ${method} ${path}`));
    if (method === 'POST' && (body === NOT_JSON || !isFields(body))) return answer(fail(400, 'INVALID_REQUEST', 'the body must be a JSON object'));

    // Toss ignores Idempotency-Key on GET, which is idempotent anyway.
    const key = method === 'POST' ? header(req, 'idempotency-key') : undefined;
    if (key !== undefined && key.length > 300) return answer(fail(400, 'INVALID_IDEMPOTENCY_KEY', '멱등키는 300자 이하여야 합니다.'));
    const slot = key === undefined ? undefined : `${method} ${path} ${key}`;
    if (slot !== undefined) {
      const earlier = this.idempotency.get(slot);
      if (earlier === 'running') return answer(fail(409, 'IDEMPOTENT_REQUEST_PROCESSING', '이전 멱등 요청이 처리중입니다.'));
      // Toss replays on the key alone, whatever the body: a key reused for another payment gets the first one's answer.
      if (earlier) {
        call.replayed = true;
        return answer(earlier);
      }
      this.idempotency.set(slot, 'running');
    }
    let outcome: Outcome;
    try {
      outcome = await route(isFields(body) ? body : {});
    } catch (error) {
      if (slot !== undefined) this.idempotency.delete(slot);
      throw error;
    }
    if (outcome === 'hang') return;
    const { lost, ...stands } = outcome;
    // A 5xx did nothing, so a retry under the same key must be able to do it.
    if (slot !== undefined) {
      if (stands.status < 500) this.idempotency.set(slot, stands);
      else this.idempotency.delete(slot);
    }
    if (lost === 500) answer(systemFailure(500));
    else if (lost === 'destroy') res.destroy();
    else if (lost === undefined) answer(stands);
  }

  private route(method: string, path: string): ((body: Fields) => Promise<Outcome>) | undefined {
    const param = (pattern: RegExp) => {
      const match = pattern.exec(path);
      return match ? decodeURIComponent(match[1]) : undefined;
    };
    if (method === 'POST') {
      if (path === '/v1/payments/confirm') return (body) => this.confirm(body);
      const paymentKey = param(/^\/v1\/payments\/([^/]+)\/cancel$/);
      if (paymentKey !== undefined) return (body) => this.cancel(paymentKey, body);
    }
    if (method === 'GET') {
      const orderId = param(/^\/v1\/payments\/orders\/([^/]+)$/);
      if (orderId !== undefined) return async () => this.lookUp(this.latestOf(orderId));
      const paymentKey = param(/^\/v1\/payments\/([^/]+)$/);
      if (paymentKey !== undefined) return async () => this.lookUp(this.visible(this.sessions.get(paymentKey)));
    }
    return undefined;
  }

  private async confirm(body: Fields): Promise<Outcome> {
    const { paymentKey, orderId, amount } = body;
    // Slowness comes before the checks, so that a confirm arriving meanwhile is checked once this one has decided.
    await this.pause(this.delayMs + this.slowness(paymentKey));
    if (typeof paymentKey !== 'string' || typeof orderId !== 'string' || typeof amount !== 'number') {
      return fail(400, 'INVALID_REQUEST', 'paymentKey and orderId (strings) and amount (a number) are required');
    }
    const session = this.sessions.get(paymentKey);
    if (!session || session.payment.status === 'EXPIRED') return fail(404, 'NOT_FOUND_PAYMENT_SESSION', '결제 시간이 만료되어 결제 진행 데이터가 존재하지 않습니다.');
    const payment = session.payment;
    if (payment.status !== 'IN_PROGRESS') return fail(400, 'ALREADY_PROCESSED_PAYMENT', '이미 처리된 결제 입니다.');
    if (orderId !== payment.orderId) return fail(400, 'INVALID_REQUEST', `orderId ${orderId} is not the orderId of this payment session`);
    if (amount !== payment.totalAmount) return fail(400, 'INVALID_REQUEST', `amount ${amount} is not the amount the customer authorised`);
    if (this.byOrder.get(orderId)!.some((s) => s !== session && CHARGED.includes(s.payment.status))) {
      return fail(400, 'DUPLICATED_ORDER_ID', '이미 승인 및 취소가 진행된 중복된 주문번호 입니다. 다른 주문번호로 진행해주세요.');
    }
    const behaviour = this.behaviourOf(session);
    switch (behaviour.kind) {
      case 'decline': {
        const code = behaviour.code ?? 'REJECT_CARD_PAYMENT';
        const refusal = fail(behaviour.status ?? (code.startsWith('REJECT_') ? 403 : 400), code, behaviour.message ?? '카드 결제가 거절되었습니다.');
        payment.status = 'ABORTED';
        payment.failure = { code, message: refusal.body.message };
        this.show(session);
        return refusal;
      }
      case 'hang':
        return 'hang';
      case 'lost-answer':
        this.approve(session);
        return { status: 200, body: structuredClone(payment), lost: behaviour.answer ?? 500 };
      case 'late-approval':
        if (behaviour.answer === 'timeout') {
          this.approve(session);
          return { status: 200, body: structuredClone(payment), lost: 'never' };
        }
        // Detached on purpose: the approval outlives the request; reset() and stop() call it off.
        void this.pause(behaviour.lateMs).then(() => this.approve(session), () => undefined);
        return systemFailure(500);
    }
    this.approve(session);
    return { status: 200, body: structuredClone(payment) };
  }

  private async cancel(paymentKey: string, body: Fields): Promise<Outcome> {
    await this.pause(this.delayMs);
    const session = this.visible(this.sessions.get(paymentKey));
    if (!session) return fail(404, 'NOT_FOUND_PAYMENT', '존재하지 않는 결제 정보 입니다.');
    const { cancelReason, cancelAmount } = body;
    if (typeof cancelReason !== 'string' || cancelReason === '') return fail(400, 'INVALID_REQUEST', 'cancelReason is required');
    if (cancelAmount != null && !(Number.isSafeInteger(cancelAmount) && (cancelAmount as number) > 0)) {
      return fail(400, 'INVALID_REQUEST', 'cancelAmount must be a positive integer');
    }
    const behaviour = this.behaviourOf(session);
    if (behaviour.kind === 'cancel-fails' && session.cancelFailures < (behaviour.times < 0 ? Infinity : behaviour.times)) {
      session.cancelFailures++;
      return systemFailure(500);
    }
    const payment = session.payment;
    if (payment.status === 'CANCELED') return fail(400, 'ALREADY_CANCELED_PAYMENT', '이미 취소된 결제 입니다.');
    if (payment.status !== 'DONE' && payment.status !== 'PARTIAL_CANCELED') return fail(403, 'NOT_CANCELABLE_PAYMENT', '취소 할 수 없는 결제 입니다.');
    const amount = (cancelAmount as number | null | undefined) ?? payment.balanceAmount;
    if (amount > payment.balanceAmount) return fail(403, 'NOT_CANCELABLE_AMOUNT', '취소 할 수 없는 금액 입니다.');

    const transactionKey = newTransactionKey();
    payment.balanceAmount -= amount;
    Object.assign(payment, taxOf(payment.balanceAmount));
    payment.status = payment.balanceAmount === 0 ? 'CANCELED' : 'PARTIAL_CANCELED';
    payment.isPartialCancelable = payment.balanceAmount > 0;
    payment.lastTransactionKey = transactionKey;
    payment.cancels = [
      ...(payment.cancels ?? []),
      {
        transactionKey,
        cancelReason,
        cancelAmount: amount,
        canceledAt: kst(),
        refundableAmount: payment.balanceAmount,
        taxFreeAmount: 0,
        taxExemptionAmount: 0,
        easyPayDiscountAmount: 0,
        transferDiscountAmount: 0,
        receiptKey: null,
        cancelStatus: 'DONE',
        cancelRequestId: null,
      },
    ];
    return { status: 200, body: structuredClone(payment) };
  }

  /** How long a confirm of this session takes before the gateway decides: `slow`, and a late approval without an answer. */
  private slowness(paymentKey: unknown): number {
    const behaviour = this.behaviourOf(typeof paymentKey === 'string' ? this.sessions.get(paymentKey) : undefined);
    if (behaviour.kind === 'slow') return behaviour.delayMs;
    if (behaviour.kind === 'late-approval' && behaviour.answer === 'timeout') return behaviour.lateMs;
    return 0;
  }

  private behaviourOf(session: Session | undefined): Behaviour {
    return session?.behaviour ?? this.fallback;
  }

  private lookUp(session: Session | undefined): Outcome {
    return session ? { status: 200, body: structuredClone(session.payment) } : fail(404, 'NOT_FOUND_PAYMENT', '존재하지 않는 결제 정보 입니다.');
  }

  /** The session of `orderId` that most recently got a visible state. */
  private latestOf(orderId: string): Session | undefined {
    const shown = (this.byOrder.get(orderId) ?? []).filter((s) => this.visible(s));
    return shown.sort((a, b) => b.shownAt - a.shownAt)[0];
  }

  /** A session the lookups and cancel see: one that was confirmed (or expired), not one merely checked out. */
  private visible(session: Session | undefined): Session | undefined {
    return session?.payment.status === 'IN_PROGRESS' ? undefined : session;
  }

  private show(session: Session): void {
    session.shownAt = ++this.shown;
  }

  private approve(session: Session): void {
    const payment = session.payment;
    // A detached late approval may find the session expired, or approved by the late approval of a repeated confirm.
    if (payment.status !== 'IN_PROGRESS') return;
    payment.status = 'DONE';
    payment.approvedAt = kst();
    payment.lastTransactionKey = newTransactionKey();
    payment.card = {
      issuerCode: '71',
      acquirerCode: '71',
      number: '12345678****000*',
      installmentPlanMonths: 0,
      isInterestFree: false,
      interestPayer: null,
      approveNo: String(randomInt(0, 100_000_000)).padStart(8, '0'),
      useCardPoint: false,
      cardType: '신용',
      ownerType: '개인',
      acquireStatus: 'READY',
      amount: payment.totalAmount,
    };
    this.show(session);
  }

  /** The /sim control routes: no authentication, JSON in and out. */
  private async sim(method: string, path: string, body: unknown, res: ServerResponse): Promise<Answer> {
    const fields = isFields(body) ? body : {};
    const done = { status: 204, body: undefined };
    try {
      switch (`${method} ${path}`) {
        case 'POST /sim/checkout': {
          const paymentKey = this.checkout(fields.orderId as string, fields.amount as number, fields.behaviour as Behaviour | undefined);
          return { status: 201, body: { paymentKey } };
        }
        case 'POST /sim/behaviour':
          this.setBehaviour(fields as Behaviour);
          return done;
        case 'POST /sim/delay':
          if (!Number.isSafeInteger(fields.delayMs) || (fields.delayMs as number) < 0) throw new SimulatorInputError('delayMs must be a non-negative integer');
          this.delayMs = fields.delayMs as number;
          return done;
        case 'POST /sim/expire':
          this.expire(fields.paymentKey as string);
          return done;
        case 'POST /sim/down':
          return this.downFor(fields, res);
        case 'POST /sim/up':
          await this.up();
          return done;
        case 'POST /sim/reset':
          this.reset();
          return done;
        case 'GET /sim/calls':
          return { status: 200, body: this.calls };
        case 'GET /sim/payments':
          return { status: 200, body: this.payments() };
        default:
          return fail(404, 'NOT_FOUND', `no route ${method} ${path}`);
      }
    } catch (error) {
      if (error instanceof SimulatorInputError) return fail(400, 'INVALID_REQUEST', error.message);
      throw error;
    }
  }

  /** POST /sim/down { mode?, forMs? }: 'refuse' needs forMs, since a port that refuses connections cannot be told to come up. */
  private downFor(fields: Fields, res: ServerResponse): Answer {
    const mode = fields.mode ?? '503';
    const forMs = fields.forMs;
    if (mode !== '503' && mode !== 'refuse') throw new SimulatorInputError("mode must be '503' or 'refuse'");
    if (forMs !== undefined && !(Number.isSafeInteger(forMs) && (forMs as number) > 0)) throw new SimulatorInputError('forMs must be a positive integer');
    if (mode === 'refuse' && forMs === undefined) throw new SimulatorInputError("mode 'refuse' needs forMs");
    // After the 204 has left: refusing closes this very connection.
    res.once('finish', () => void this.timedOutage(mode, forMs as number | undefined));
    return { status: 204, body: undefined };
  }

  private async timedOutage(mode: '503' | 'refuse', forMs: number | undefined): Promise<void> {
    await this.down(mode);
    if (forMs === undefined) return;
    try {
      await this.pause(forMs);
    } catch {
      return; // reset() or stop() came first: the outage stays as set, like one set in-process
    }
    await this.up();
  }

  private pause(ms: number): Promise<void> {
    return ms > 0 ? sleep(ms, undefined, { signal: this.lifetime.signal }) : Promise.resolve();
  }

  private async listen(port: number): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, this.host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    this.port = (this.server.address() as AddressInfo).port;
  }

  private async close(): Promise<void> {
    if (!this.server.listening) return;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }
}

function behaviourFrom(value: unknown): Behaviour {
  const fields = isFields(value) ? value : {};
  const kind = fields.kind as string;
  if (!KINDS.includes(kind)) throw new SimulatorInputError(`behaviour.kind must be one of ${KINDS.join(', ')}`);
  const number = REQUIRED_NUMBER[kind];
  if (number !== undefined && typeof fields[number] !== 'number') throw new SimulatorInputError(`behaviour ${kind} needs ${number} (a number)`);
  return value as Behaviour;
}

function newPayment(paymentKey: string, orderId: string, amount: number): TossPayment {
  return {
    mId: 'tosspayments',
    version: '2022-11-16',
    paymentKey,
    lastTransactionKey: null,
    orderId,
    orderName: orderId,
    type: 'NORMAL',
    method: '카드',
    status: 'IN_PROGRESS',
    requestedAt: kst(),
    approvedAt: null,
    currency: 'KRW',
    country: 'KR',
    totalAmount: amount,
    balanceAmount: amount,
    ...taxOf(amount),
    taxFreeAmount: 0,
    taxExemptionAmount: 0,
    isPartialCancelable: true,
    useEscrow: false,
    cultureExpense: false,
    card: null,
    cancels: null,
    failure: null,
    virtualAccount: null,
    transfer: null,
    mobilePhone: null,
    giftCertificate: null,
    cashReceipt: null,
    cashReceipts: null,
    discount: null,
    easyPay: null,
    secret: null,
    receipt: null,
    checkout: null,
    metadata: null,
  };
}

/** Korean VAT is included in the price: 1/11 of it, rounded, as Toss splits it (15000 = 13636 + 1364). */
function taxOf(amount: number): { suppliedAmount: number; vat: number } {
  const vat = Math.round(amount / 11);
  return { suppliedAmount: amount - vat, vat };
}

/** Toss writes times in Korean time with the offset: 2024-02-13T12:18:14+09:00. */
function kst(): string {
  return new Date(Date.now() + 9 * 3_600_000).toISOString().replace(/\.\d{3}Z$/, '+09:00');
}

function newTransactionKey(): string {
  return randomBytes(16).toString('hex').toUpperCase();
}

function systemFailure(status: 500 | 503): Answer {
  return fail(status, 'FAILED_INTERNAL_SYSTEM_PROCESSING', '내부 시스템 처리 작업이 실패했습니다. 잠시 후 다시 시도해주세요.');
}

function fail(status: number, code: string, message: string): Answer & { body: { code: string; message: string } } {
  return { status, body: { code, message } };
}

function isFields(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

async function readText(req: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of req) text += chunk;
  return text;
}

function parseBody(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return NOT_JSON;
  }
}

function send(res: ServerResponse, answer: Answer): void {
  if (answer.body === undefined) {
    res.writeHead(answer.status).end();
    return;
  }
  res.writeHead(answer.status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(answer.body));
}
