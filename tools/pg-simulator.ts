/**
 * A payment gateway that speaks the subset of the Toss Payments v1 API the shop uses (confirm,
 * look up by order id or payment key, cancel, list transactions) for card, easy-pay and
 * virtual-account payments, sends Toss's webhooks with Toss's retries, and has the failures a
 * real gateway has on demand. Tests, the quick start and the benchmarks run it instead of Toss.
 * One file importing only Node built-ins, written in erasable TypeScript: ts-jest compiles it and
 * Node 24 runs it as it is. tools/README.md describes the routes, behaviours and controls.
 */
import { randomBytes, randomInt } from 'node:crypto';
import { createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** A field that a `mismatch` behaviour reports wrong. */
export type MismatchField = 'totalAmount' | 'currency' | 'orderId' | 'paymentKey';

/** How the gateway answers a checkout session's confirm (and its cancels, for `cancel-fails` and `cancel-lost`). */
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
  | { kind: 'cancel-fails'; times: number }
  /** Approves for real; the confirm's answer, the lookups and the webhooks report `field` as `value` (default: a wrong one). */
  | { kind: 'mismatch'; field: MismatchField; value?: string | number }
  /** Approves; the first cancel is applied but its answer is lost (500 or a dropped connection); then the next `thenFail` cancel calls answer 500, whatever their Idempotency-Key. */
  | { kind: 'cancel-lost'; answer?: 500 | 'destroy'; thenFail?: number };

export type PaymentStatus = 'IN_PROGRESS' | 'WAITING_FOR_DEPOSIT' | 'DONE' | 'CANCELED' | 'PARTIAL_CANCELED' | 'ABORTED' | 'EXPIRED';

/** The payment method the customer chose in the checkout widget. */
export type CheckoutMethod = 'CARD' | 'EASY_PAY' | 'VIRTUAL_ACCOUNT';

/** What the customer chose in the checkout widget besides the amount (default: a card). */
export interface CheckoutOptions {
  method?: CheckoutMethod;
  /** EASY_PAY: the provider as Toss names it (default 토스페이), e.g. 카카오페이, 네이버페이. */
  provider?: string;
  /** EASY_PAY: paid from the provider's balance or account (default), or with a card registered there (then `card` is filled too). */
  funding?: 'balance' | 'card';
  /** VIRTUAL_ACCOUNT: the bank, as Toss's two-digit code ("20") or its name ("우리"); default 20. */
  bank?: string;
  /** VIRTUAL_ACCOUNT: the name the account is issued in (default 김토스). */
  customerName?: string;
  /** VIRTUAL_ACCOUNT: the deposit is due this many ms after the confirm (default 7 days, Toss's default), rounded up to the second. */
  dueMs?: number;
  /** VIRTUAL_ACCOUNT: or at this instant (ISO 8601), rounded up to the second. */
  dueDate?: string;
  /** VIRTUAL_ACCOUNT: what the payment shows once due unpaid: WAITING_FOR_DEPOSIT with `virtualAccount.expired` (default), or EXPIRED. */
  expiresAs?: 'WAITING_FOR_DEPOSIT' | 'EXPIRED';
}

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

export interface TossEasyPay {
  provider: string;
  /** Paid from the provider's balance or linked account: the whole amount, or 0 when a card paid it. */
  amount: number;
  discountAmount: number;
}

export interface RefundReceiveAccount {
  bankCode: string;
  accountNumber: string;
  holderName: string;
}

export interface TossVirtualAccount {
  accountType: '일반';
  accountNumber: string;
  bankCode: string;
  customerName: string;
  /** Korean time with the offset, whole seconds: 2024-02-13T12:18:14+09:00. */
  dueDate: string;
  refundStatus: 'NONE' | 'COMPLETED';
  expired: boolean;
  settlementStatus: 'INCOMPLETED';
  /** The account of the last refund (bankCode, accountNumber, holderName as given to the cancel). */
  refundReceiveAccount: RefundReceiveAccount | null;
  depositorName: string | null;
}

/** Toss's Payment object (version 2022-11-16), with the fields of methods the simulator does not have left null. */
export interface TossPayment {
  mId: string;
  version: string;
  paymentKey: string;
  lastTransactionKey: string | null;
  orderId: string;
  orderName: string;
  type: 'NORMAL';
  method: '카드' | '간편결제' | '가상계좌';
  status: PaymentStatus;
  requestedAt: string;
  approvedAt: string | null;
  currency: string;
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
  virtualAccount: TossVirtualAccount | null;
  transfer: null;
  mobilePhone: null;
  giftCertificate: null;
  cashReceipt: null;
  cashReceipts: null;
  discount: null;
  easyPay: TossEasyPay | null;
  /** Virtual accounts: the value the deposit callback carries, to tell it from a forged one. */
  secret: string | null;
  receipt: null;
  checkout: null;
  metadata: null;
}

/** One line of GET /v1/transactions: an approval, a deposit, or a cancel. */
export interface TossTransaction {
  mId: string;
  transactionKey: string;
  paymentKey: string;
  orderId: string;
  method: TossPayment['method'];
  customerKey: null;
  useEscrow: boolean;
  receiptUrl: null;
  /** DONE for an approval or a deposit; CANCELED or PARTIAL_CANCELED, as the payment stood after it, for a cancel. */
  status: PaymentStatus;
  transactionAt: string;
  currency: string;
  /** The approval's totalAmount, or the cancel's cancelAmount. */
  amount: number;
}

export interface RecordedCall {
  method: string;
  /** The request target: the path and, when there is one, the query string. */
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

export type WebhookEventType = 'PAYMENT_STATUS_CHANGED' | 'DEPOSIT_CALLBACK';

/**
 * held: waiting for release; sending: an attempt is under way (or queued by a release);
 * retrying: an attempt failed and the next one is scheduled; delivered: a 2xx came back;
 * failed: every attempt failed; discarded: dropped while held, never sent.
 */
export type WebhookState = 'held' | 'sending' | 'retrying' | 'delivered' | 'failed' | 'discarded';

export interface WebhookAttempt {
  /** 1 for the first delivery, 2 for the first retry, … */
  attempt: number;
  url: string | null;
  /** When the attempt started (ISO). */
  at: string;
  /** The receiver's HTTP status; null when none came. */
  status: number | null;
  /** Why no status came (connection refused, no answer within the timeout, …), else null. */
  error: string | null;
  ms: number;
}

/** A webhook the simulator sent, holds or tried to send. */
export interface WebhookEvent {
  id: string;
  /** null for an arbitrary body sent with sendWebhook(). */
  eventType: WebhookEventType | null;
  paymentKey: string | null;
  /** The JSON body, or the exact text of a raw one. */
  body: unknown;
  state: WebhookState;
  createdAt: string;
  attempts: WebhookAttempt[];
}

/** One delivery attempt with the webhook it belongs to. */
export interface WebhookDelivery extends WebhookAttempt {
  id: string;
  eventType: WebhookEventType | null;
  paymentKey: string | null;
  body: unknown;
}

export interface DepositResult {
  payment: TossPayment;
  /** The deposit's transaction (also the payment's lastTransactionKey and the callback's transactionKey). */
  transactionKey: string;
  /** The webhooks it made: PAYMENT_STATUS_CHANGED, then DEPOSIT_CALLBACK (none when no webhook URL is set). */
  webhookIds: string[];
}

export interface ConsoleCancel {
  cancelReason: string;
  /** Default: the whole balanceAmount. */
  cancelAmount?: number;
  /** Needed to refund a virtual account that was deposited. */
  refundReceiveAccount?: { bank: string; accountNumber: string; holderName: string };
}

export interface PgSimulatorOptions {
  /** The one secret key accepted in `Authorization: Basic base64(secretKey + ":")`. */
  secretKey?: string;
  /** Added before every confirm and cancel answer, as a real gateway takes ~200 ms. */
  delayMs?: number;
  /** Where webhooks go (http or https); null or absent: none are sent. */
  webhookUrl?: string | null;
  /** The waits before each retry of a webhook that got no 2xx; its length is the number of retries. Default Toss's: 1, 4, 16, 64, 256, 1024, 4096 minutes. */
  webhookRetryDelaysMs?: number[];
  /** How long a webhook attempt waits for an answer before it counts as failed (default 10000, Toss's). */
  webhookTimeoutMs?: number;
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

interface Checkout {
  method: CheckoutMethod;
  provider: string;
  funding: 'balance' | 'card';
  bankCode: string;
  customerName: string;
  dueMs: number;
  dueAt: number | null;
  expiresAs: 'WAITING_FOR_DEPOSIT' | 'EXPIRED';
}

interface Session {
  payment: TossPayment;
  behaviour?: Behaviour;
  checkout: Checkout;
  cancelFailures: number;
  /** Order in which sessions became visible to lookups: the latest answers for its order id. */
  shownAt: number;
  /** Approved, or its virtual account issued: another approval of its orderId is a DUPLICATED_ORDER_ID for ever. */
  charged: boolean;
  /** Virtual accounts: the instant the deposit is due. */
  dueAt: number | null;
  /** `cancel-lost` has lost its one cancel answer (behave() re-arms it). */
  cancelLost: boolean;
  /** Cancel calls still to answer 500 after a `cancel-lost` (its thenFail). */
  failNextCancels: number;
}

interface Webhook extends WebhookEvent {
  /** The exact text sent. */
  text: string;
}

type Fields = Record<string, unknown>;

const KINDS = ['approve', 'decline', 'slow', 'hang', 'lost-answer', 'late-approval', 'cancel-fails', 'mismatch', 'cancel-lost'];
const REQUIRED_NUMBER: Record<string, string> = { slow: 'delayMs', 'late-approval': 'lateMs', 'cancel-fails': 'times' };
const MISMATCH_FIELDS: readonly MismatchField[] = ['totalAmount', 'currency', 'orderId', 'paymentKey'];
const METHODS: readonly CheckoutMethod[] = ['CARD', 'EASY_PAY', 'VIRTUAL_ACCOUNT'];
const METHOD_NAMES: Record<CheckoutMethod, TossPayment['method']> = { CARD: '카드', EASY_PAY: '간편결제', VIRTUAL_ACCOUNT: '가상계좌' };
/** Toss's retry schedule for webhooks without a 200: 1, 4, 16, 64, 256, 1024 and 4096 minutes after the attempt before. */
export const TOSS_WEBHOOK_RETRY_DELAYS_MS: readonly number[] = [1, 4, 16, 64, 256, 1024, 4096].map((minutes) => minutes * 60_000);
const DEFAULT_DUE_MS = 7 * 24 * 3_600_000;
/** setTimeout cannot wait longer; an account due later is found expired when next looked at. */
const LONGEST_TIMER_MS = 2 ** 31 - 1;
const TRANSACTIONS_LIMIT = 10_000;
/** Toss's two-digit bank codes, with the names Toss and customers write them by. */
const BANKS: Record<string, readonly string[]> = {
  '02': ['KDB산업', '산업'],
  '03': ['IBK기업', '기업'],
  '06': ['KB국민', '국민'],
  '07': ['Sh수협', '수협'],
  '11': ['NH농협', '농협'],
  '12': ['단위농협', '지역농축협'],
  '20': ['우리'],
  '23': ['SC제일'],
  '27': ['씨티'],
  '31': ['iM뱅크', 'DGB대구', '대구'],
  '32': ['부산'],
  '34': ['광주'],
  '35': ['제주'],
  '37': ['전북'],
  '39': ['경남'],
  '45': ['새마을'],
  '48': ['신협'],
  '50': ['저축'],
  '54': ['홍콩상하이'],
  '64': ['산림'],
  '71': ['우체국'],
  '81': ['하나'],
  '88': ['신한'],
  '89': ['케이뱅크', '케이'],
  '90': ['카카오뱅크', '카카오'],
  '92': ['토스뱅크', '토스'],
};
const NOT_JSON = Symbol('not JSON');

/** Thrown by the in-process API and answered by the /sim routes (400 INVALID_REQUEST unless it says otherwise): the caller asked for something impossible. */
export class SimulatorInputError extends Error {
  readonly code: string;
  readonly status: number;
  constructor(message: string, code = 'INVALID_REQUEST', status = 400) {
    super(message);
    this.code = code;
    this.status = status;
  }
}

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
  private readonly ledger: TossTransaction[] = [];
  private readonly hooks: Webhook[] = [];
  private fallback: Behaviour = { kind: 'approve' };
  private outage: '503' | 'refuse' | null = null;
  private shown = 0;
  private host = '127.0.0.1';
  private port = 0;
  /** Aborted by reset() and stop(): cancels every pending delay, late approval, due date, webhook attempt and retry. */
  private lifetime = new AbortController();
  private hookUrl: string | null = null;
  private retryDelays: number[] = [...TOSS_WEBHOOK_RETRY_DELAYS_MS];
  private hookTimeout = 10_000;
  private holding = false;
  private hookCount = 0;
  /** Webhook attempts under way and retries scheduled: webhooksIdle() waits for both to be none. */
  private busy = 0;
  private idleWaiters: (() => void)[] = [];

  constructor(options: PgSimulatorOptions = {}) {
    this.authorization = `Basic ${Buffer.from(`${options.secretKey ?? 'test_sk_simulator'}:`).toString('base64')}`;
    this.delayMs = options.delayMs ?? 0;
    if (options.webhookUrl !== undefined) this.webhookUrl = options.webhookUrl;
    if (options.webhookRetryDelaysMs !== undefined) this.webhookRetryDelaysMs = options.webhookRetryDelaysMs;
    if (options.webhookTimeoutMs !== undefined) this.webhookTimeoutMs = options.webhookTimeoutMs;
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

  /** Closes every connection, hung ones included, stops listening, and abandons every webhook attempt and retry. */
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

  /**
   * What the checkout widget does when the customer authorises `amount` for `orderId` (by card,
   * unless `options` say easy pay or virtual account): returns the paymentKey to confirm.
   */
  checkout(orderId: string, amount: number, behaviour?: Behaviour, options?: CheckoutOptions): string {
    if (typeof orderId !== 'string' || orderId === '') throw new SimulatorInputError('orderId must be a non-empty string');
    if (!Number.isSafeInteger(amount) || amount <= 0) throw new SimulatorInputError('amount must be a positive integer');
    const checkout = checkoutFrom(options);
    const own = behaviour === undefined ? undefined : behaviourFrom(behaviour);
    const paymentKey = `tsim_${randomBytes(12).toString('hex')}`;
    const session: Session = {
      payment: newPayment(paymentKey, orderId, amount, METHOD_NAMES[checkout.method]),
      checkout,
      cancelFailures: 0,
      shownAt: 0,
      charged: false,
      dueAt: null,
      cancelLost: false,
      failNextCancels: 0,
    };
    if (own !== undefined) session.behaviour = own;
    this.sessions.set(paymentKey, session);
    this.byOrder.set(orderId, [...(this.byOrder.get(orderId) ?? []), session]);
    return paymentKey;
  }

  /** Changes one session's behaviour from now on: e.g. its cancels fail after its late approval. Re-arms `cancel-lost`. */
  behave(paymentKey: string, behaviour: Behaviour): void {
    const session = this.sessions.get(paymentKey);
    if (!session) throw new SimulatorInputError(`no session ${paymentKey}`);
    session.behaviour = behaviourFrom(behaviour);
    session.cancelLost = false;
    session.failNextCancels = 0;
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
    this.notify(session);
  }

  /**
   * The customer pays into the virtual account: DONE, approvedAt, a transaction, the status
   * webhook and the deposit callback (held back with `holdCallback`, until releaseWebhooks()).
   * Refused (SimulatorInputError, code NOT_DEPOSITABLE, 409) once the account is closed, expired
   * or already paid: a deposit and a close are each decided at once, so only one of them happens.
   */
  deposit(paymentKey: string, options: { holdCallback?: boolean } = {}): DepositResult {
    const session = this.issued(paymentKey);
    this.refreshDue(session);
    const payment = session.payment;
    const account = payment.virtualAccount!;
    if (payment.status !== 'WAITING_FOR_DEPOSIT' || account.expired) {
      const why = payment.approvedAt !== null ? 'already deposited' : account.expired ? 'expired' : 'closed';
      throw new SimulatorInputError(`the virtual account of ${paymentKey} is ${why}: the bank refuses the deposit`, 'NOT_DEPOSITABLE', 409);
    }
    const transactionKey = newTransactionKey();
    payment.status = 'DONE';
    payment.approvedAt = kst();
    payment.lastTransactionKey = transactionKey;
    account.depositorName = account.customerName;
    this.book(session, 'DONE', transactionKey, payment.approvedAt, payment.totalAmount);
    this.show(session);
    const webhookIds = this.notify(session, { callback: true, holdCallback: options.holdCallback === true });
    return { payment: structuredClone(payment), transactionKey, webhookIds };
  }

  /**
   * A virtual account's due date passes now (it is moved to now): it takes no deposit any more,
   * `virtualAccount.expired` is true, and with `expiresAs: 'EXPIRED'` the status is EXPIRED (with its webhook).
   */
  expireAccount(paymentKey: string): void {
    const session = this.issued(paymentKey);
    this.refreshDue(session);
    if (session.payment.status !== 'WAITING_FOR_DEPOSIT' || session.payment.virtualAccount!.expired) {
      throw new SimulatorInputError(`the virtual account of ${paymentKey} is not waiting for a deposit`);
    }
    session.dueAt = Math.floor(Date.now() / 1000) * 1000;
    session.payment.virtualAccount!.dueDate = kst(session.dueAt);
    this.expireAccountNow(session);
  }

  /**
   * The shop's staff cancel part or all of a payment in Toss's merchant console: the same effects
   * as the cancel API (a cancel with its transactionKey, the transaction, the webhooks), but it is
   * not a call (not in `calls`) and no behaviour applies. Refusals throw SimulatorInputError with
   * the code and status the cancel API would answer.
   */
  consoleCancel(paymentKey: string, cancel: ConsoleCancel): TossPayment {
    const session = this.visible(this.sessions.get(paymentKey));
    if (!session) throw new SimulatorInputError(`no payment ${paymentKey}`, 'NOT_FOUND_PAYMENT', 404);
    const invalid = cancelInputError(cancel as unknown as Fields);
    if (invalid) throw new SimulatorInputError(invalid);
    const outcome = this.applyCancel(session, cancel as unknown as Fields);
    if (outcome.status !== 200) {
      const { code, message } = outcome.body as { code: string; message: string };
      throw new SimulatorInputError(message, code, outcome.status);
    }
    return outcome.body as TossPayment;
  }

  /** Forgets every session, payment, transaction, idempotency key, call, webhook (held, pending or sent) and the default behaviour; delay, outage and the webhook settings stay. */
  reset(): void {
    this.lifetime.abort();
    this.lifetime = new AbortController();
    this.sessions.clear();
    this.byOrder.clear();
    this.idempotency.clear();
    this.recorded.length = 0;
    this.ledger.length = 0;
    this.hooks.length = 0;
    this.holding = false;
    this.fallback = { kind: 'approve' };
  }

  /** Every /v1 call received, oldest first. */
  get calls(): readonly RecordedCall[] {
    return this.recorded;
  }

  /** Every checkout session's payment as it really stands (IN_PROGRESS: authorised, not confirmed), whatever a `mismatch` makes the answers say. */
  payments(): TossPayment[] {
    return [...this.sessions.values()].map((s) => {
      this.refreshDue(s);
      return structuredClone(s.payment);
    });
  }

  /** Every transaction (approval, deposit, cancel) as GET /v1/transactions lists them, in its order, without a window. */
  transactions(): TossTransaction[] {
    return this.sortedLedger().map((t) => structuredClone(t));
  }

  /** Where webhooks go; null: none are made. Setting it validates the URL (http or https). */
  get webhookUrl(): string | null {
    return this.hookUrl;
  }

  set webhookUrl(url: string | null) {
    if (url === null || url === '') {
      this.hookUrl = null;
      return;
    }
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new SimulatorInputError(`webhook url ${JSON.stringify(url)} is not a URL`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new SimulatorInputError('the webhook url must be http or https');
    this.hookUrl = url;
  }

  /** The waits before each retry of a webhook without a 2xx (Toss's by default); [] sends each once. */
  get webhookRetryDelaysMs(): number[] {
    return [...this.retryDelays];
  }

  set webhookRetryDelaysMs(delays: number[]) {
    if (!Array.isArray(delays) || !delays.every((d) => Number.isSafeInteger(d) && d >= 0)) {
      throw new SimulatorInputError('webhook retry delays must be a list of non-negative integers (ms)');
    }
    this.retryDelays = [...delays];
  }

  /** How long an attempt waits for the receiver's answer (Toss: 10 s). */
  get webhookTimeoutMs(): number {
    return this.hookTimeout;
  }

  set webhookTimeoutMs(ms: number) {
    if (!Number.isSafeInteger(ms) || ms <= 0) throw new SimulatorInputError('the webhook timeout must be a positive integer (ms)');
    this.hookTimeout = ms;
  }

  /** Every webhook made since the last reset, oldest first, with its attempts. */
  get webhooks(): WebhookEvent[] {
    return this.hooks.map(publicWebhook);
  }

  /** Every delivery attempt, oldest webhook first, each with the webhook's body. */
  webhookAttempts(): WebhookDelivery[] {
    return this.hooks.flatMap((h) => h.attempts.map((a) => ({ id: h.id, eventType: h.eventType, paymentKey: h.paymentKey, body: structuredClone(h.body), ...a })));
  }

  /** true: webhooks made from now on wait (state `held`) for releaseWebhooks(). false: stop holding and send every held one, in order. */
  async holdWebhooks(hold = true): Promise<void> {
    this.holding = hold;
    if (!hold) await this.releaseWebhooks();
  }

  /** Whether new webhooks are held. */
  get holdingWebhooks(): boolean {
    return this.holding;
  }

  /**
   * Sends held webhooks: all of them oldest first, or those of `ids` in that order, one after
   * another (each starts once the one before has had its first answer). Resolves when the last
   * one's first attempt has ended; retries go on by themselves.
   */
  async releaseWebhooks(ids?: string[]): Promise<WebhookEvent[]> {
    const chosen = ids === undefined ? this.hooks.filter((h) => h.state === 'held') : ids.map((id) => this.heldHook(id));
    if (new Set(chosen).size !== chosen.length) throw new SimulatorInputError('a webhook is named twice');
    for (const hook of chosen) hook.state = 'sending';
    for (const hook of chosen) await this.deliver(hook, 1);
    return chosen.map(publicWebhook);
  }

  /** Drops held webhooks (all, or those of `ids`) without sending them: state `discarded`. */
  discardWebhooks(ids?: string[]): void {
    const chosen = ids === undefined ? this.hooks.filter((h) => h.state === 'held') : ids.map((id) => this.heldHook(id));
    for (const hook of chosen) hook.state = 'discarded';
  }

  /**
   * Sends a payment's webhook again as it stands now (a duplicate, as Toss's own retries make):
   * PAYMENT_STATUS_CHANGED with the Payment, or for a virtual account the DEPOSIT_CALLBACK with
   * its current status and last transaction. Returns the new webhook's id.
   */
  sendStatusWebhook(paymentKey: string, eventType: WebhookEventType = 'PAYMENT_STATUS_CHANGED'): string {
    this.requireWebhookUrl();
    const session = this.visible(this.sessions.get(paymentKey));
    if (!session) throw new SimulatorInputError(`no payment ${paymentKey}`);
    this.refreshDue(session);
    if (eventType === 'DEPOSIT_CALLBACK') {
      if (session.payment.secret === null) throw new SimulatorInputError(`${paymentKey} is not a virtual account`);
      return this.enqueue('DEPOSIT_CALLBACK', paymentKey, this.depositCallback(session), false);
    }
    if (eventType !== 'PAYMENT_STATUS_CHANGED') throw new SimulatorInputError('eventType must be PAYMENT_STATUS_CHANGED or DEPOSIT_CALLBACK');
    return this.enqueue('PAYMENT_STATUS_CHANGED', paymentKey, this.statusChanged(session), false);
  }

  /** Sends an earlier webhook's very body again as a new webhook; returns its id. */
  resendWebhook(id: string): string {
    this.requireWebhookUrl();
    const earlier = this.hooks.find((h) => h.id === id);
    if (!earlier) throw new SimulatorInputError(`no webhook ${id}`);
    return this.enqueue(earlier.eventType, earlier.paymentKey, structuredClone(earlier.body), false, earlier.text);
  }

  /** Sends any body to the webhook URL: an object or array as JSON, a string exactly as it is (malformed JSON, say). Returns its id. */
  sendWebhook(body: unknown): string {
    this.requireWebhookUrl();
    if (body === undefined) throw new SimulatorInputError('a webhook needs a body');
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    const paymentKey = isFields(body) && isFields(body.data) && typeof body.data.paymentKey === 'string' ? body.data.paymentKey : null;
    return this.enqueue(null, paymentKey, structuredClone(body), false, text);
  }

  /** Resolves once no webhook attempt is under way and no retry is scheduled (held webhooks do not count). */
  webhooksIdle(): Promise<void> {
    if (this.busy === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const target = new URL(req.url ?? '/', 'http://simulator');
      const text = await readText(req);
      if (target.pathname.startsWith('/v1/')) await this.v1(req, res, target, text);
      else send(res, await this.sim(req.method ?? '', target.pathname, parseBody(text), res));
    } catch (error) {
      // reset() and stop() abort pending delays: the connection goes, as a crashed gateway's would.
      if ((error as Error).name === 'AbortError' || res.headersSent) res.destroy();
      else send(res, { status: 500, body: { code: 'SIMULATOR_ERROR', message: String(error) } });
    }
  }

  private async v1(req: IncomingMessage, res: ServerResponse, target: URL, text: string): Promise<void> {
    const method = req.method ?? '';
    const path = target.pathname;
    const body = parseBody(text);
    const recordedBody = body === NOT_JSON ? text : (body ?? null);
    const call: RecordedCall = { method, path: path + target.search, headers: req.headers, body: recordedBody, status: null, replayed: false, at: new Date().toISOString() };
    this.recorded.push(call);
    const answer = (a: Answer) => {
      call.status = a.status;
      send(res, a);
    };
    if (this.outage === '503') return answer(systemFailure(503));
    if (req.headers.authorization !== this.authorization) return answer(fail(401, 'UNAUTHORIZED_KEY', '인증되지 않은 시크릿 키 혹은 클라이언트 키 입니다.'));
    const route = this.route(method, path, target.searchParams);
    if (!route) return answer(fail(404, 'NOT_FOUND', `no route ${method} ${path}`));
    if (method === 'POST' && (body === NOT_JSON || !isFields(body))) return answer(fail(400, 'INVALID_REQUEST', 'the body must be a JSON object'));

    // Toss ignores Idempotency-Key on GET, which is idempotent anyway.
    const key = method === 'POST' ? header(req, 'idempotency-key') : undefined;
    if (key !== undefined && key.length > 300) return answer(fail(400, 'INVALID_IDEMPOTENCY_KEY', '멱등키는 300자 이하여야 합니다.'));
    // After a `cancel-lost`, its next cancel calls fail whatever their key, replays included.
    const cancelled = method === 'POST' ? cancelPath(path) : undefined;
    const failing = cancelled === undefined ? undefined : this.sessions.get(cancelled);
    if (failing !== undefined && failing.failNextCancels > 0) {
      failing.failNextCancels--;
      await this.pause(this.delayMs);
      return answer(systemFailure(500));
    }
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

  private route(method: string, path: string, query: URLSearchParams): ((body: Fields) => Promise<Outcome>) | undefined {
    const param = (pattern: RegExp) => {
      const match = pattern.exec(path);
      return match ? decodeURIComponent(match[1]) : undefined;
    };
    if (method === 'POST') {
      if (path === '/v1/payments/confirm') return (body) => this.confirm(body);
      const paymentKey = cancelPath(path);
      if (paymentKey !== undefined) return (body) => this.cancel(paymentKey, body);
    }
    if (method === 'GET') {
      if (path === '/v1/transactions') return async () => this.listTransactions(query);
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
    if (!session || (session.payment.status === 'EXPIRED' && !session.charged)) {
      return fail(404, 'NOT_FOUND_PAYMENT_SESSION', '결제 시간이 만료되어 결제 진행 데이터가 존재하지 않습니다.');
    }
    const payment = session.payment;
    if (payment.status !== 'IN_PROGRESS') return fail(400, 'ALREADY_PROCESSED_PAYMENT', '이미 처리된 결제 입니다.');
    if (orderId !== payment.orderId) return fail(400, 'INVALID_REQUEST', `orderId ${orderId} is not the orderId of this payment session`);
    if (amount !== payment.totalAmount) return fail(400, 'INVALID_REQUEST', `amount ${amount} is not the amount the customer authorised`);
    if (this.byOrder.get(orderId)!.some((s) => s !== session && s.charged)) {
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
        this.notify(session);
        return refusal;
      }
      case 'hang':
        return 'hang';
      case 'lost-answer':
        this.approve(session);
        return { status: 200, body: this.view(session), lost: behaviour.answer ?? 500 };
      case 'late-approval':
        if (behaviour.answer === 'timeout') {
          this.approve(session);
          return { status: 200, body: this.view(session), lost: 'never' };
        }
        // Detached on purpose: the approval outlives the request; reset() and stop() call it off.
        void this.pause(behaviour.lateMs).then(() => this.approve(session), () => undefined);
        return systemFailure(500);
    }
    this.approve(session);
    return { status: 200, body: this.view(session) };
  }

  private async cancel(paymentKey: string, body: Fields): Promise<Outcome> {
    await this.pause(this.delayMs);
    const session = this.visible(this.sessions.get(paymentKey));
    if (!session) return fail(404, 'NOT_FOUND_PAYMENT', '존재하지 않는 결제 정보 입니다.');
    const invalid = cancelInputError(body);
    if (invalid) return fail(400, 'INVALID_REQUEST', invalid);
    const behaviour = this.behaviourOf(session);
    if (behaviour.kind === 'cancel-fails' && session.cancelFailures < (behaviour.times < 0 ? Infinity : behaviour.times)) {
      session.cancelFailures++;
      return systemFailure(500);
    }
    const outcome = this.applyCancel(session, body);
    if (outcome.status === 200 && behaviour.kind === 'cancel-lost' && !session.cancelLost) {
      session.cancelLost = true;
      session.failNextCancels = behaviour.thenFail ?? 0;
      return { ...outcome, lost: behaviour.answer ?? 500 };
    }
    return outcome;
  }

  /**
   * One cancel, API or console, decided at once: a close of a virtual account not paid yet, or a
   * refund of what was charged (of a deposited virtual account, to `refundReceiveAccount`).
   */
  private applyCancel(session: Session, body: Fields): Answer & { body: unknown } {
    this.refreshDue(session);
    const payment = session.payment;
    const cancelReason = body.cancelReason as string;
    const requested = body.cancelAmount as number | null | undefined;
    if (payment.status === 'CANCELED') return fail(400, 'ALREADY_CANCELED_PAYMENT', '이미 취소된 결제 입니다.');
    const awaitingDeposit = payment.virtualAccount !== null && payment.approvedAt === null && (payment.status === 'WAITING_FOR_DEPOSIT' || payment.status === 'EXPIRED');
    if (awaitingDeposit) {
      if (requested != null && requested !== payment.balanceAmount) {
        return fail(403, 'NOT_ALLOWED_PARTIAL_REFUND_WAITING_DEPOSIT', '입금 대기중인 결제는 부분 환불이 불가합니다.');
      }
      // Closing the account: no money moved, so no transaction is listed.
      this.addCancel(session, cancelReason, payment.balanceAmount, false);
      return { status: 200, body: structuredClone(payment) };
    }
    if (payment.status !== 'DONE' && payment.status !== 'PARTIAL_CANCELED') return fail(403, 'NOT_CANCELABLE_PAYMENT', '취소 할 수 없는 결제 입니다.');
    const amount = requested ?? payment.balanceAmount;
    if (amount > payment.balanceAmount) return fail(403, 'NOT_CANCELABLE_AMOUNT', '취소 할 수 없는 금액 입니다.');
    if (payment.virtualAccount !== null) {
      const account = refundAccountFrom(body.refundReceiveAccount);
      if ('code' in account) return fail(400, account.code, account.message);
      payment.virtualAccount.refundReceiveAccount = account;
      payment.virtualAccount.refundStatus = 'COMPLETED';
    }
    this.addCancel(session, cancelReason, amount, true);
    return { status: 200, body: structuredClone(payment) };
  }

  private addCancel(session: Session, cancelReason: string, amount: number, booked: boolean): void {
    const payment = session.payment;
    const transactionKey = newTransactionKey();
    const canceledAt = kst();
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
        canceledAt,
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
    if (booked) this.book(session, payment.status, transactionKey, canceledAt, amount);
    this.show(session);
    this.notify(session, { callback: payment.virtualAccount !== null });
  }

  /** GET /v1/transactions: the window [startDate, endDate) by transactionAt, after `startingAfter`, at most `limit`. */
  private listTransactions(query: URLSearchParams): Answer {
    const startDate = query.get('startDate');
    const endDate = query.get('endDate');
    if (startDate === null || endDate === null) return fail(400, 'INVALID_REQUEST', 'startDate and endDate are required');
    const start = tossInstant(startDate);
    const end = tossInstant(endDate);
    if (start === null || end === null) return fail(400, 'INVALID_REQUEST', 'startDate and endDate must be ISO 8601 times: with an offset or Z, or yyyy-MM-ddTHH:mm:ss in Korean time');
    if (end < start) return fail(400, 'INVALID_REQUEST', 'endDate is before startDate');
    const rawLimit = query.get('limit');
    const limit = rawLimit === null || rawLimit === '' ? 100 : /^\d+$/.test(rawLimit) ? Number(rawLimit) : NaN;
    if (!(limit >= 1 && limit <= TRANSACTIONS_LIMIT)) return fail(400, 'INVALID_REQUEST', `limit must be an integer from 1 to ${TRANSACTIONS_LIMIT}`);
    const sorted = this.sortedLedger();
    const after = query.get('startingAfter');
    let from = 0;
    if (after !== null && after !== '') {
      const index = sorted.findIndex((t) => t.transactionKey === after);
      if (index < 0) return fail(400, 'INVALID_TRANSACTION_KEY', '잘못된 페이징 키 입니다.');
      from = index + 1;
    }
    const page = sorted.slice(from).filter((t) => {
      const at = Date.parse(t.transactionAt);
      return at >= start && at < end;
    });
    return { status: 200, body: page.slice(0, limit).map((t) => structuredClone(t)) };
  }

  /** Ordered by transactionAt, then transactionKey, as the pages are cut. */
  private sortedLedger(): TossTransaction[] {
    return [...this.ledger].sort((a, b) => Date.parse(a.transactionAt) - Date.parse(b.transactionAt) || (a.transactionKey < b.transactionKey ? -1 : a.transactionKey > b.transactionKey ? 1 : 0));
  }

  private book(session: Session, status: PaymentStatus, transactionKey: string, transactionAt: string, amount: number): void {
    const payment = session.payment;
    this.ledger.push({
      mId: payment.mId,
      transactionKey,
      paymentKey: payment.paymentKey,
      orderId: payment.orderId,
      method: payment.method,
      customerKey: null,
      useEscrow: false,
      receiptUrl: null,
      status,
      transactionAt,
      currency: payment.currency,
      amount,
    });
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
    if (!session) return fail(404, 'NOT_FOUND_PAYMENT', '존재하지 않는 결제 정보 입니다.');
    this.refreshDue(session);
    return { status: 200, body: this.view(session) };
  }

  /** The Payment as the gateway's answers show it: with the wrong field while the session's behaviour is a `mismatch`. */
  private view(session: Session): TossPayment {
    const shown = structuredClone(session.payment);
    const behaviour = this.behaviourOf(session);
    if (behaviour.kind === 'mismatch') Object.assign(shown, { [behaviour.field]: mismatched(session.payment, behaviour) });
    return shown;
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

  /** The session's confirm succeeds: a card or easy pay is charged (DONE), a virtual account is issued (WAITING_FOR_DEPOSIT). */
  private approve(session: Session): void {
    const payment = session.payment;
    // A detached late approval may find the session expired, or approved by the late approval of a repeated confirm.
    if (payment.status !== 'IN_PROGRESS') return;
    session.charged = true;
    payment.lastTransactionKey = newTransactionKey();
    const { method, provider, funding } = session.checkout;
    if (method === 'VIRTUAL_ACCOUNT') {
      this.issue(session);
    } else {
      payment.status = 'DONE';
      payment.approvedAt = kst();
      if (method === 'CARD' || funding === 'card') payment.card = newCard(payment.totalAmount);
      if (method === 'EASY_PAY') payment.easyPay = { provider, amount: funding === 'card' ? 0 : payment.totalAmount, discountAmount: 0 };
      this.book(session, 'DONE', payment.lastTransactionKey, payment.approvedAt, payment.totalAmount);
    }
    this.show(session);
    this.notify(session);
  }

  private issue(session: Session): void {
    const payment = session.payment;
    const { bankCode, customerName, dueMs, dueAt } = session.checkout;
    session.dueAt = dueAt ?? Math.ceil((Date.now() + dueMs) / 1000) * 1000;
    payment.status = 'WAITING_FOR_DEPOSIT';
    payment.secret = `ps_${randomBytes(18).toString('base64url')}`;
    payment.virtualAccount = {
      accountType: '일반',
      accountNumber: Array.from({ length: 14 }, () => randomInt(0, 10)).join(''),
      bankCode,
      customerName,
      dueDate: kst(session.dueAt),
      refundStatus: 'NONE',
      expired: false,
      settlementStatus: 'INCOMPLETED',
      refundReceiveAccount: null,
      depositorName: null,
    };
    const wait = session.dueAt - Date.now();
    // Unreferenced: a due date alone keeps no process alive; a later look finds it passed anyway.
    if (wait <= LONGEST_TIMER_MS) void this.pause(Math.max(wait, 1), false).then(() => this.dueDatePassed(session), () => undefined);
  }

  /** A virtual account whose due date has passed unpaid becomes expired, whenever it is next looked at or its timer fires. */
  private refreshDue(session: Session): void {
    const account = session.payment.virtualAccount;
    if (account === null || account.expired || session.payment.status !== 'WAITING_FOR_DEPOSIT' || session.dueAt === null) return;
    if (Date.now() >= session.dueAt) this.expireAccountNow(session);
  }

  /** The due date's timer: the account expires now unless it was paid, closed or expired meanwhile. */
  private dueDatePassed(session: Session): void {
    const account = session.payment.virtualAccount;
    if (account !== null && !account.expired && session.payment.status === 'WAITING_FOR_DEPOSIT') this.expireAccountNow(session);
  }

  private expireAccountNow(session: Session): void {
    session.payment.virtualAccount!.expired = true;
    if (session.checkout.expiresAs === 'EXPIRED') {
      session.payment.status = 'EXPIRED';
      this.show(session);
      this.notify(session);
    }
  }

  /** The session of an issued virtual account. */
  private issued(paymentKey: string): Session {
    const session = this.sessions.get(paymentKey);
    if (!session || session.payment.virtualAccount === null) throw new SimulatorInputError(`no virtual account issued for ${paymentKey}`);
    return session;
  }

  /** Makes the webhooks of a status change: PAYMENT_STATUS_CHANGED, and with `callback` the DEPOSIT_CALLBACK. None without a webhook URL. */
  private notify(session: Session, options: { callback?: boolean; holdCallback?: boolean } = {}): string[] {
    if (this.hookUrl === null) return [];
    const paymentKey = session.payment.paymentKey;
    const ids = [this.enqueue('PAYMENT_STATUS_CHANGED', paymentKey, this.statusChanged(session), false)];
    if (options.callback) ids.push(this.enqueue('DEPOSIT_CALLBACK', paymentKey, this.depositCallback(session), options.holdCallback === true));
    return ids;
  }

  private statusChanged(session: Session): Fields {
    return { eventType: 'PAYMENT_STATUS_CHANGED', createdAt: webhookTime(), data: this.view(session) };
  }

  /** Toss's virtual-account callback: no eventType, the secret the confirm returned, the payment's status and last transaction. */
  private depositCallback(session: Session): Fields {
    const shown = this.view(session);
    return { createdAt: webhookTime(), secret: shown.secret, status: shown.status, transactionKey: shown.lastTransactionKey, orderId: shown.orderId };
  }

  private enqueue(eventType: WebhookEventType | null, paymentKey: string | null, body: unknown, hold: boolean, text = JSON.stringify(body)): string {
    const hook: Webhook = { id: `wh_${++this.hookCount}`, eventType, paymentKey, body, text, state: 'held', createdAt: new Date().toISOString(), attempts: [] };
    this.hooks.push(hook);
    if (!hold && !this.holding) {
      hook.state = 'sending';
      void this.deliver(hook, 1);
    }
    return hook.id;
  }

  private heldHook(id: string): Webhook {
    const hook = this.hooks.find((h) => h.id === id);
    if (hook?.state !== 'held') throw new SimulatorInputError(`no held webhook ${id}`);
    return hook;
  }

  private requireWebhookUrl(): void {
    if (this.hookUrl === null) throw new SimulatorInputError('no webhook url is set');
  }

  /** One attempt; on anything but a 2xx the next one is scheduled after its delay, until the delays run out. */
  private async deliver(hook: Webhook, attempt: number): Promise<void> {
    const signal = this.lifetime.signal;
    hook.state = 'sending';
    this.busy++;
    try {
      const result = await this.post(hook.text, signal);
      if (signal.aborted) return; // reset() or stop(): the webhook is forgotten
      hook.attempts.push({ attempt, ...result });
      if (result.status !== null && result.status >= 200 && result.status < 300) {
        hook.state = 'delivered';
        return;
      }
      const delay = this.retryDelays[attempt - 1];
      if (delay === undefined) {
        hook.state = 'failed';
        return;
      }
      hook.state = 'retrying';
      this.busy++;
      sleep(delay, undefined, { signal, ref: false }).then(
        () => {
          void this.deliver(hook, attempt + 1); // counts itself busy before this retry stops counting
          this.idle();
        },
        () => this.idle(),
      );
    } finally {
      this.idle();
    }
  }

  /** One busy thing ended: wake webhooksIdle() waiters once nothing is. */
  private idle(): void {
    this.busy--;
    if (this.busy > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const wake of waiters) wake();
  }

  /** POSTs `text` to the webhook URL: the status, or why none came within the timeout. */
  private post(text: string, signal: AbortSignal): Promise<Omit<WebhookAttempt, 'attempt'>> {
    const url = this.hookUrl;
    const at = new Date().toISOString();
    const started = performance.now();
    if (url === null) return Promise.resolve({ url, at, status: null, error: 'no webhook url is set', ms: 0 });
    const target = new URL(url);
    const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const timeoutMs = this.hookTimeout;
    return new Promise((resolve) => {
      let settled = false;
      const finish = (status: number | null, error: string | null) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve({ url, at, status, error, ms: Math.round(performance.now() - started) });
      };
      const req = request(
        target,
        { method: 'POST', agent: false, signal, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) } },
        (res) => {
          res.resume();
          finish(res.statusCode ?? null, null);
        },
      );
      const timer = setTimeout(() => {
        finish(null, `no answer within ${timeoutMs} ms`);
        req.destroy();
      }, timeoutMs);
      req.on('error', (error: NodeJS.ErrnoException) => finish(null, error.code ?? error.message));
      req.end(text);
    });
  }

  /** The /sim control routes: no authentication, JSON in and out. */
  private async sim(method: string, path: string, body: unknown, res: ServerResponse): Promise<Answer> {
    const fields = isFields(body) ? body : {};
    const done = { status: 204, body: undefined };
    const ids = (value: unknown): string[] | undefined => {
      if (value === undefined) return undefined;
      if (!Array.isArray(value) || !value.every((id) => typeof id === 'string')) throw new SimulatorInputError('ids must be a list of webhook ids');
      return value as string[];
    };
    try {
      switch (`${method} ${path}`) {
        case 'POST /sim/checkout': {
          const { orderId, amount, behaviour, ...options } = fields;
          const paymentKey = this.checkout(orderId as string, amount as number, behaviour as Behaviour | undefined, options as CheckoutOptions);
          return { status: 201, body: { paymentKey } };
        }
        case 'POST /sim/behaviour':
          this.setBehaviour(fields as Behaviour);
          return done;
        case 'POST /sim/behave':
          this.behave(fields.paymentKey as string, fields.behaviour as Behaviour);
          return done;
        case 'POST /sim/delay':
          if (!Number.isSafeInteger(fields.delayMs) || (fields.delayMs as number) < 0) throw new SimulatorInputError('delayMs must be a non-negative integer');
          this.delayMs = fields.delayMs as number;
          return done;
        case 'POST /sim/expire':
          this.expire(fields.paymentKey as string);
          return done;
        case 'POST /sim/deposit':
          return { status: 200, body: this.deposit(fields.paymentKey as string, { holdCallback: fields.holdCallback === true }) };
        case 'POST /sim/expire-account':
          this.expireAccount(fields.paymentKey as string);
          return done;
        case 'POST /sim/console-cancel': {
          const { paymentKey, ...cancel } = fields;
          return { status: 200, body: this.consoleCancel(paymentKey as string, cancel as unknown as ConsoleCancel) };
        }
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
        case 'GET /sim/transactions':
          return { status: 200, body: this.transactions() };
        case 'GET /sim/webhook':
          return { status: 200, body: this.webhookSettings() };
        case 'POST /sim/webhook':
          this.configureWebhooks(fields);
          return { status: 200, body: this.webhookSettings() };
        case 'DELETE /sim/webhook':
          this.webhookUrl = null;
          return done;
        case 'GET /sim/webhooks':
          return { status: 200, body: this.webhooks };
        case 'GET /sim/webhooks/attempts':
          return { status: 200, body: this.webhookAttempts() };
        case 'POST /sim/webhooks/hold':
          if (fields.hold !== undefined && typeof fields.hold !== 'boolean') throw new SimulatorInputError('hold must be true or false');
          await this.holdWebhooks(fields.hold !== false);
          return done;
        case 'POST /sim/webhooks/release':
          return { status: 200, body: await this.releaseWebhooks(ids(fields.ids)) };
        case 'POST /sim/webhooks/discard':
          this.discardWebhooks(ids(fields.ids));
          return done;
        case 'POST /sim/webhooks/status':
          return { status: 201, body: { id: this.sendStatusWebhook(fields.paymentKey as string, (fields.eventType as WebhookEventType | undefined) ?? 'PAYMENT_STATUS_CHANGED') } };
        case 'POST /sim/webhooks/resend':
          return { status: 201, body: { id: this.resendWebhook(fields.id as string) } };
        case 'POST /sim/webhooks/send': {
          const hasBody = 'body' in fields;
          if (hasBody === (fields.raw !== undefined)) throw new SimulatorInputError('send either body (any JSON) or raw (a string sent as it is)');
          if (!hasBody && typeof fields.raw !== 'string') throw new SimulatorInputError('raw must be a string');
          return { status: 201, body: { id: hasBody ? this.sendWebhook(typeof fields.body === 'string' ? JSON.stringify(fields.body) : fields.body) : this.sendWebhook(fields.raw) } };
        }
        default:
          return fail(404, 'NOT_FOUND', `no route ${method} ${path}`);
      }
    } catch (error) {
      if (error instanceof SimulatorInputError) return fail(error.status, error.code, error.message);
      throw error;
    }
  }

  private webhookSettings(): Fields {
    return { url: this.hookUrl, retryDelaysMs: this.webhookRetryDelaysMs, timeoutMs: this.hookTimeout, holding: this.holding };
  }

  /** POST /sim/webhook { url?, retryDelaysMs?, timeoutMs? }: each field given is set, all or none. */
  private configureWebhooks(fields: Fields): void {
    const { url, retryDelaysMs, timeoutMs, ...others } = fields;
    if (Object.keys(others).length > 0) throw new SimulatorInputError(`unknown field ${Object.keys(others)[0]}`);
    if (url !== undefined && url !== null && typeof url !== 'string') throw new SimulatorInputError('url must be a string, or null to send no webhooks');
    const before = { url: this.hookUrl, delays: this.retryDelays, timeout: this.hookTimeout };
    try {
      if (url !== undefined) this.webhookUrl = url as string | null;
      if (retryDelaysMs !== undefined) this.webhookRetryDelaysMs = retryDelaysMs as number[];
      if (timeoutMs !== undefined) this.webhookTimeoutMs = timeoutMs as number;
    } catch (error) {
      this.hookUrl = before.url;
      this.retryDelays = before.delays;
      this.hookTimeout = before.timeout;
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

  /** Waits `ms`, until reset() or stop(); `ref: false` lets a process end meanwhile. */
  private pause(ms: number, ref = true): Promise<void> {
    return ms > 0 ? sleep(ms, undefined, { signal: this.lifetime.signal, ref }) : Promise.resolve();
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
  if (kind === 'mismatch') {
    if (!MISMATCH_FIELDS.includes(fields.field as MismatchField)) throw new SimulatorInputError(`behaviour mismatch needs field: one of ${MISMATCH_FIELDS.join(', ')}`);
    const wanted = fields.field === 'totalAmount' ? 'number' : 'string';
    if (fields.value !== undefined && typeof fields.value !== wanted) throw new SimulatorInputError(`a mismatched ${fields.field as string} must be a ${wanted}`);
  }
  if (kind === 'cancel-lost') {
    if (fields.answer !== undefined && fields.answer !== 500 && fields.answer !== 'destroy') throw new SimulatorInputError("behaviour cancel-lost: answer must be 500 or 'destroy'");
    if (fields.thenFail !== undefined && !(Number.isSafeInteger(fields.thenFail) && (fields.thenFail as number) >= 0)) {
      throw new SimulatorInputError('behaviour cancel-lost: thenFail must be a non-negative integer');
    }
  }
  return value as Behaviour;
}

function checkoutFrom(value: unknown): Checkout {
  if (value !== undefined && !isFields(value)) throw new SimulatorInputError('checkout options must be an object');
  const options = (value ?? {}) as Fields;
  const method = (options.method ?? 'CARD') as CheckoutMethod;
  if (!METHODS.includes(method)) throw new SimulatorInputError(`method must be one of ${METHODS.join(', ')}`);
  const only = (names: string[], of: CheckoutMethod) => {
    for (const name of names) if (options[name] !== undefined && method !== of) throw new SimulatorInputError(`${name} is for method ${of}`);
  };
  only(['provider', 'funding'], 'EASY_PAY');
  only(['bank', 'customerName', 'dueMs', 'dueDate', 'expiresAs'], 'VIRTUAL_ACCOUNT');
  const known = new Set(['method', 'provider', 'funding', 'bank', 'customerName', 'dueMs', 'dueDate', 'expiresAs']);
  const unknown = Object.keys(options).find((name) => !known.has(name));
  if (unknown !== undefined) throw new SimulatorInputError(`unknown checkout option ${unknown}`);
  const text = (name: string, fallback: string): string => {
    const given = options[name];
    if (given === undefined) return fallback;
    if (typeof given !== 'string' || given.trim() === '') throw new SimulatorInputError(`${name} must be a non-empty string`);
    return given;
  };
  const funding = options.funding ?? 'balance';
  if (funding !== 'balance' && funding !== 'card') throw new SimulatorInputError("funding must be 'balance' or 'card'");
  const expiresAs = options.expiresAs ?? 'WAITING_FOR_DEPOSIT';
  if (expiresAs !== 'WAITING_FOR_DEPOSIT' && expiresAs !== 'EXPIRED') throw new SimulatorInputError("expiresAs must be 'WAITING_FOR_DEPOSIT' or 'EXPIRED'");
  const bankCode = bankCodeOf(text('bank', '20'));
  if (bankCode === undefined) throw new SimulatorInputError(`unknown bank ${String(options.bank)}`);
  if (options.dueMs !== undefined && options.dueDate !== undefined) throw new SimulatorInputError('give dueMs or dueDate, not both');
  if (options.dueMs !== undefined && !(Number.isSafeInteger(options.dueMs) && (options.dueMs as number) > 0)) throw new SimulatorInputError('dueMs must be a positive integer');
  let dueAt: number | null = null;
  if (options.dueDate !== undefined) {
    const instant = typeof options.dueDate === 'string' ? tossInstant(options.dueDate) : null;
    if (instant === null || instant <= Date.now()) throw new SimulatorInputError('dueDate must be an ISO 8601 time in the future');
    dueAt = Math.ceil(instant / 1000) * 1000;
  }
  return {
    method,
    provider: text('provider', '토스페이'),
    funding,
    bankCode,
    customerName: text('customerName', '김토스'),
    dueMs: (options.dueMs as number | undefined) ?? DEFAULT_DUE_MS,
    dueAt,
    expiresAs,
  };
}

/** A bank given by Toss's code or one of its names. */
function bankCodeOf(bank: string): string | undefined {
  if (BANKS[bank] !== undefined) return bank;
  const name = bank.replace(/은행$/, '');
  return Object.keys(BANKS).find((code) => BANKS[code].includes(name));
}

/** What is wrong with a cancel's cancelReason or cancelAmount, or undefined. */
function cancelInputError(body: Fields): string | undefined {
  const { cancelReason, cancelAmount } = body;
  if (typeof cancelReason !== 'string' || cancelReason === '') return 'cancelReason is required';
  if (cancelAmount != null && !(Number.isSafeInteger(cancelAmount) && (cancelAmount as number) > 0)) return 'cancelAmount must be a positive integer';
  return undefined;
}

/** The account a deposited virtual account is refunded to, or the error Toss answers for it. */
function refundAccountFrom(value: unknown): RefundReceiveAccount | { code: string; message: string } {
  if (!isFields(value)) return { code: 'INVALID_REQUEST', message: 'refundReceiveAccount { bank, accountNumber, holderName } is required to refund a deposited virtual account' };
  const { bank, accountNumber, holderName } = value;
  const bankCode = typeof bank === 'string' ? bankCodeOf(bank) : undefined;
  if (bankCode === undefined) return { code: 'INVALID_BANK', message: '유효하지 않은 은행입니다.' };
  if (typeof accountNumber !== 'string' || !/^\d{6,20}$/.test(accountNumber)) return { code: 'INVALID_REFUND_ACCOUNT_NUMBER', message: '잘못된 환불 계좌번호입니다.' };
  if (typeof holderName !== 'string' || holderName.trim() === '' || holderName.length > 60) {
    return { code: 'INVALID_REFUND_ACCOUNT_INFO', message: '환불 계좌번호와 예금주명이 일치하지 않습니다.' };
  }
  return { bankCode, accountNumber, holderName };
}

/** The wrong value a `mismatch` shows: the one asked for, else one plainly not the real one. */
function mismatched(payment: TossPayment, behaviour: { field: MismatchField; value?: string | number }): string | number {
  if (behaviour.value !== undefined) return behaviour.value;
  switch (behaviour.field) {
    case 'totalAmount':
      return payment.totalAmount + 1_000;
    case 'currency':
      return 'USD';
    case 'orderId':
      return `${payment.orderId}-other`;
    case 'paymentKey':
      return `tsim_other_${payment.paymentKey.slice('tsim_'.length)}`;
  }
}

function publicWebhook(hook: Webhook): WebhookEvent {
  const { text: _text, ...shown } = hook;
  return structuredClone(shown);
}

function cancelPath(path: string): string | undefined {
  const match = /^\/v1\/payments\/([^/]+)\/cancel$/.exec(path);
  return match ? decodeURIComponent(match[1]) : undefined;
}

function newPayment(paymentKey: string, orderId: string, amount: number, method: TossPayment['method']): TossPayment {
  return {
    mId: 'tosspayments',
    version: '2022-11-16',
    paymentKey,
    lastTransactionKey: null,
    orderId,
    orderName: orderId,
    type: 'NORMAL',
    method,
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

function newCard(amount: number): TossCard {
  return {
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
    amount,
  };
}

/** Korean VAT is included in the price: 1/11 of it, rounded, as Toss splits it (15000 = 13636 + 1364). */
function taxOf(amount: number): { suppliedAmount: number; vat: number } {
  const vat = Math.round(amount / 11);
  return { suppliedAmount: amount - vat, vat };
}

/** Toss writes times in Korean time with the offset, whole seconds: 2024-02-13T12:18:14+09:00. */
function kst(at = Date.now()): string {
  return new Date(at + 9 * 3_600_000).toISOString().replace(/\.\d{3}Z$/, '+09:00');
}

/** A webhook's createdAt as Toss writes it: Korean time without an offset, microseconds: 2022-05-12T00:00:00.000000. */
function webhookTime(): string {
  return new Date(Date.now() + 9 * 3_600_000).toISOString().replace(/Z$/, '000');
}

/**
 * The instant of a time given to the API: ISO 8601 with an offset or Z, or without one (Toss's own
 * yyyy-MM-ddTHH:mm:ss, in Korean time); a date alone is its midnight in Korea. null if it is none of these.
 * A space where the offset's + should be is a + that the query string did not encode.
 */
function tossInstant(text: string): number | null {
  const match = /^(\d{4}-\d\d-\d\d)(?:T(\d\d:\d\d)(:\d\d)?(\.\d+)?)?(Z|[+\- ]\d\d:?\d\d)?$/.exec(text);
  if (!match) return null;
  const [, date, time = '00:00', seconds = ':00', fraction = '', zone] = match;
  const offset = zone === undefined ? '+09:00' : zone === 'Z' ? 'Z' : `${zone[0] === ' ' ? '+' : zone[0]}${zone.slice(1, 3)}:${zone.slice(-2)}`;
  const millis = fraction === '' ? '' : (fraction + '000').slice(0, 4);
  const instant = Date.parse(`${date}T${time}${seconds}${millis}${offset}`);
  return Number.isNaN(instant) ? null : instant;
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
