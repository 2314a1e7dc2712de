import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { Agent, errors, request } from 'undici';
import { HttpServerLimits } from '../../common/http/http-server-limits';
import { PaymentGateway } from '../application/ports/payment-gateway.port';
import type {
  CancelAnswer,
  CancelRequest,
  ConfirmAnswer,
  ConfirmRequest,
  GatewayPayment,
  GatewayTransaction,
  LookupAnswer,
  TransactionsAnswer,
  TransactionsWindow,
} from '../application/ports/payment-gateway.port';
import { PaymentMetrics } from '../payment.metrics';
import { PaymentSettings } from '../payment.settings';

interface TossPayment {
  paymentKey: string;
  orderId: string;
  status: string;
  method?: string | null;
  currency?: string | null;
  totalAmount: number;
  balanceAmount: number;
  lastTransactionKey?: string | null;
  card?: { approveNo?: string | null } | null;
  cancels?: { transactionKey?: unknown; cancelAmount?: unknown; canceledAt?: unknown; cancelReason?: unknown }[] | null;
  easyPay?: { provider?: string | null } | null;
  virtualAccount?: { accountNumber?: string; bankCode?: string; customerName?: string; dueDate?: string } | null;
  secret?: string | null;
}

interface TossTransaction {
  transactionKey: string;
  paymentKey: string;
  orderId: string;
  method?: string | null;
  status: string;
  transactionAt: string;
  currency?: string | null;
  amount: number;
}

/** Toss answers at most this many transactions a page. */
const TRANSACTIONS_PAGE = 10_000;

type Reply = ({ ok: true; status: number; body: unknown } | { ok: false; reason: string; delivered: boolean }) & {
  operation: string;
  subject: string;
  durationMs: number;
};

/** Errors that mean the request never left this machine: no connection was made. */
const NOT_DELIVERED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * The Toss Payments v1 API (API.md, "Card payments through the payment gateway", "Gateway
 * methods", "Reconciliation against the gateway's records"): Basic auth
 * with the secret key, an Idempotency-Key on every POST, a timeout on every call. Answers are
 * split three ways: approved, declined (the gateway's code kept), or unknown (5xx, network,
 * timeout), which the caller resolves with a lookup instead of guessing.
 */
@Injectable()
export class TossPaymentsGateway implements PaymentGateway, OnApplicationShutdown {
  private readonly authorization: string;
  /**
   * undici's request API on a keep-alive agent of its own: a card payment makes one or two calls,
   * and fetch's WHATWG layers cost several times the CPU of the call itself.
   */
  private readonly agent = new Agent({ keepAliveTimeout: 30_000, connections: 256 });

  constructor(
    private readonly config: PaymentSettings,
    private readonly metrics: PaymentMetrics,
    private readonly logger: PinoLogger,
    limits: HttpServerLimits,
  ) {
    this.logger.setContext(TossPaymentsGateway.name);
    this.authorization = `Basic ${Buffer.from(`${config.PG_SECRET_KEY ?? ''}:`).toString('base64')}`;
    // A payment waits on the gateway for a confirm and at most one lookup, silent meanwhile.
    if (config.PG_BASE_URL) limits.allowRequestsLasting(2 * config.PG_TIMEOUT_MS + 5_000);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.agent.close();
  }

  async confirm({ paymentKey, gatewayOrderId, amount, idempotencyKey }: ConfirmRequest): Promise<ConfirmAnswer> {
    const reply = await this.call('confirm', gatewayOrderId, 'POST', '/v1/payments/confirm', { paymentKey, orderId: gatewayOrderId, amount }, idempotencyKey);
    if (!reply.ok) return this.outcome(reply, reply.delivered ? { kind: 'UNKNOWN', reason: reply.reason } : { kind: 'UNREACHABLE', reason: reply.reason });
    if (reply.status === 200) {
      const payment = toPayment(reply.body);
      // A virtual account's confirm issues the account (WAITING_FOR_DEPOSIT): the money comes later.
      const decided = payment?.status === 'DONE' || payment?.status === 'WAITING_FOR_DEPOSIT';
      const answer: ConfirmAnswer = decided ? { kind: 'APPROVED', payment } : { kind: 'UNKNOWN', reason: `confirm answered 200 with status ${payment?.status ?? 'none'}` };
      return this.outcome(reply, answer);
    }
    const error = toError(reply.body);
    // An earlier try of this very attempt went through (or is deciding): only a lookup can tell.
    if (reply.status >= 500 || !error || error.code === 'ALREADY_PROCESSED_PAYMENT' || error.code === 'IDEMPOTENT_REQUEST_PROCESSING') {
      return this.outcome(reply, { kind: 'UNKNOWN', reason: `HTTP ${reply.status} ${error?.code ?? ''}`.trim() });
    }
    return this.outcome(reply, { kind: 'DECLINED', code: error.code, message: error.message });
  }

  async findByPaymentKey(paymentKey: string): Promise<LookupAnswer> {
    const reply = await this.call('lookup', paymentKey, 'GET', `/v1/payments/${encodeURIComponent(paymentKey)}`);
    if (!reply.ok) return this.outcome(reply, { kind: 'UNKNOWN', reason: reply.reason });
    const payment = reply.status === 200 ? toPayment(reply.body) : null;
    if (payment) return this.outcome(reply, { kind: 'FOUND', payment });
    if (reply.status === 404 && toError(reply.body)?.code === 'NOT_FOUND_PAYMENT') return this.outcome(reply, { kind: 'NOT_FOUND' });
    return this.outcome(reply, { kind: 'UNKNOWN', reason: `HTTP ${reply.status} ${toError(reply.body)?.code ?? ''}`.trim() });
  }

  /** Every page of the window, in the gateway's order; any page that fails makes the whole answer unknown. */
  async listTransactions({ from, to }: TransactionsWindow): Promise<TransactionsAnswer> {
    const transactions: GatewayTransaction[] = [];
    let startingAfter: string | null = null;
    for (;;) {
      const query = new URLSearchParams({ startDate: from.toISOString(), endDate: to.toISOString(), limit: String(TRANSACTIONS_PAGE) });
      if (startingAfter) query.set('startingAfter', startingAfter);
      const reply = await this.call('transactions', `${from.toISOString()}..${to.toISOString()}`, 'GET', `/v1/transactions?${query}`);
      if (!reply.ok) return this.outcome(reply, { kind: 'UNKNOWN', reason: reply.reason });
      const page = reply.status === 200 && Array.isArray(reply.body) ? reply.body.map(toTransaction) : null;
      if (!page || page.some((t) => t === null)) return this.outcome(reply, { kind: 'UNKNOWN', reason: `HTTP ${reply.status} ${toError(reply.body)?.code ?? 'unreadable page'}` });
      transactions.push(...(page as NonNullable<(typeof page)[number]>[]));
      if (page.length < TRANSACTIONS_PAGE) return this.outcome(reply, { kind: 'LISTED', transactions });
      startingAfter = transactions[transactions.length - 1].transactionKey;
    }
  }

  async cancel({ paymentKey, reason, amount, idempotencyKey, refundReceiveAccount }: CancelRequest): Promise<CancelAnswer> {
    const body: Record<string, unknown> = { cancelReason: reason };
    if (amount !== undefined) body.cancelAmount = amount;
    if (refundReceiveAccount) body.refundReceiveAccount = refundReceiveAccount;
    const reply = await this.call('cancel', paymentKey, 'POST', `/v1/payments/${encodeURIComponent(paymentKey)}/cancel`, body, idempotencyKey);
    if (!reply.ok) return this.outcome(reply, { kind: 'FAILED', reason: reply.reason, code: null });
    if (reply.status === 200) return this.outcome(reply, { kind: 'CANCELLED', payment: toPayment(reply.body) });
    const error = toError(reply.body);
    // Cancelled by an earlier try whose answer was lost: the money is back, which is what was asked.
    if (error?.code === 'ALREADY_CANCELED_PAYMENT') return this.outcome(reply, { kind: 'CANCELLED', payment: null });
    return this.outcome(reply, { kind: 'FAILED', reason: `HTTP ${reply.status} ${error?.code ?? ''} ${error?.message ?? ''}`.trim(), code: error?.code ?? null });
  }

  private async call(operation: string, subject: string, method: 'GET' | 'POST', path: string, body?: object, idempotencyKey?: string): Promise<Reply> {
    const started = performance.now();
    const headers: Record<string, string> = { authorization: this.authorization };
    if (body) headers['content-type'] = 'application/json';
    if (idempotencyKey) headers['idempotency-key'] = idempotencyKey;
    const call = { operation, subject };
    try {
      const response = await request(new URL(path, this.config.PG_BASE_URL), {
        method,
        headers,
        body: body ? JSON.stringify(body) : undefined,
        dispatcher: this.agent,
        signal: AbortSignal.timeout(this.config.PG_TIMEOUT_MS),
      });
      const text = await response.body.text();
      return { ...call, ok: true, status: response.statusCode, body: parseJson(text), durationMs: performance.now() - started };
    } catch (error) {
      const code = ((error as { code?: unknown })?.code as string | undefined) ?? '';
      const timedOut = (error as Error)?.name === 'TimeoutError' || error instanceof errors.RequestAbortedError;
      const reason = timedOut ? `no answer within ${this.config.PG_TIMEOUT_MS} ms` : `network: ${code || ((error as Error)?.message ?? error)}`;
      return { ...call, ok: false, reason, delivered: !NOT_DELIVERED.has(code), durationMs: performance.now() - started };
    }
  }

  /** One log line and one metric sample per call, by what it meant. */
  private outcome<const T extends { kind: string }>(reply: Reply, answer: T): T {
    const { operation, subject, durationMs } = reply;
    this.metrics.gatewayCalls.observe({ operation, outcome: answer.kind }, durationMs / 1_000);
    const line = { operation, subject, outcome: answer.kind, httpStatus: reply.ok ? reply.status : null, durationMs: Math.round(durationMs), ...detail(answer) };
    // Every call fails alike until someone fixes the key: retries would only show as lag.
    if (reply.ok && (reply.status === 401 || reply.status === 403)) this.logger.error({ ...line, action: 'check PG_SECRET_KEY' }, 'the payment gateway refused the shop\'s credentials');
    else if (answer.kind === 'UNKNOWN' || answer.kind === 'FAILED') this.logger.warn(line, 'payment gateway call: outcome unknown or failed');
    else this.logger.info(line, 'payment gateway call');
    return answer;
  }
}

/** What a log line says of an answer: never a whole payment (its secret) or a whole transaction list. */
function detail(answer: { kind: string }): Record<string, unknown> {
  const { kind: _kind, payment, transactions, ...rest } = answer as { kind: string; payment?: GatewayPayment | null; transactions?: unknown[] };
  if (transactions) return { ...rest, transactions: transactions.length };
  return payment ? { ...rest, gatewayStatus: payment.status, paymentKey: payment.paymentKey } : rest;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function toPayment(body: unknown): GatewayPayment | null {
  const p = body as Partial<TossPayment> | null;
  if (!p || typeof p.paymentKey !== 'string' || typeof p.orderId !== 'string' || typeof p.status !== 'string') return null;
  const account = p.virtualAccount;
  return {
    paymentKey: p.paymentKey,
    orderId: p.orderId,
    status: p.status,
    method: typeof p.method === 'string' ? p.method : null,
    currency: typeof p.currency === 'string' ? p.currency : null,
    totalAmount: Number(p.totalAmount),
    balanceAmount: Number(p.balanceAmount),
    approvalNumber: p.card?.approveNo ?? null,
    lastTransactionKey: typeof p.lastTransactionKey === 'string' ? p.lastTransactionKey : null,
    cancels: (p.cancels ?? []).flatMap((c) =>
      typeof c?.transactionKey === 'string'
        ? [{ transactionKey: c.transactionKey, cancelAmount: Number(c.cancelAmount), canceledAt: String(c.canceledAt ?? ''), cancelReason: String(c.cancelReason ?? '') }]
        : [],
    ),
    easyPayProvider: p.easyPay?.provider ?? null,
    virtualAccount:
      account && typeof account.accountNumber === 'string'
        ? { accountNumber: account.accountNumber, bankCode: String(account.bankCode ?? ''), customerName: String(account.customerName ?? ''), dueDate: String(account.dueDate ?? '') }
        : null,
    secret: typeof p.secret === 'string' ? p.secret : null,
  };
}

function toTransaction(body: unknown): GatewayTransaction | null {
  const t = body as Partial<TossTransaction> | null;
  if (!t || typeof t.transactionKey !== 'string' || typeof t.paymentKey !== 'string' || typeof t.status !== 'string' || typeof t.transactionAt !== 'string') return null;
  const at = new Date(t.transactionAt);
  if (Number.isNaN(at.getTime()) || !Number.isSafeInteger(t.amount)) return null;
  return {
    transactionKey: t.transactionKey,
    paymentKey: t.paymentKey,
    orderId: String(t.orderId ?? ''),
    method: typeof t.method === 'string' ? t.method : null,
    status: t.status,
    transactionAt: at,
    currency: typeof t.currency === 'string' ? t.currency : null,
    amount: t.amount as number,
  };
}

function toError(body: unknown): { code: string; message: string } | null {
  const e = body as { code?: unknown; message?: unknown } | null;
  return e && typeof e.code === 'string' ? { code: e.code, message: typeof e.message === 'string' ? e.message : '' } : null;
}
