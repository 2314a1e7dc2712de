import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PgSimulator } from '../../tools/pg-simulator';
import { freePort } from '../support/child-app';
import { gatewayEnv } from '../support/gateway-env';
import { until } from '../support/http';
import { NatsServer } from '../support/nats';
import { Receiver } from '../support/receiver';
import { shop } from '../support/shop';
import { bearer, createTestApp, TestApp } from '../support/test-app';
import { terminate } from '../support/processes';

const PROMETHEUS = process.env.PROMETHEUS_BIN ?? '/usr/bin/prometheus';
const MONITORING = join(__dirname, '..', '..', 'monitoring');
const RULES = join(MONITORING, 'prometheus', 'rules');
const DASHBOARD = join(MONITORING, 'grafana', 'dashboards', 'shop-payments.json');
const SECRET = 'test_sk_monitoring';
// Also what the test's scrape and rule evaluation intervals are: each second.
const INTERVAL = '1s';

interface Series {
  metric: Record<string, string>;
  value: [number, string];
}

interface Panel {
  title: string;
  type: string;
  targets?: { expr: string }[];
  panels?: Panel[];
}

interface Alert {
  labels: Record<string, string>;
  state: 'pending' | 'firing';
}

/**
 * The repository's rules as the test's Prometheus loads them: the same expressions, every `for:`
 * one second. A `for:` (two minutes for the gateway) only keeps a blip from paging; what it does
 * is what the promtool unit tests check, while this test checks that the expressions see what
 * the running service exports, and fire on a real outage, within the test's time.
 */
function rulesWithShortFor(into: string): number {
  mkdirSync(into);
  let shortened = 0;
  for (const file of readdirSync(RULES).filter((f) => f.endsWith('.yml'))) {
    const text = readFileSync(join(RULES, file), 'utf8').replace(/^(\s+for: )\S+$/gm, (_, key: string) => {
      shortened++;
      return `${key}${INTERVAL}`;
    });
    writeFileSync(join(into, file), text);
  }
  return shortened;
}

/** A real Prometheus of this test alone (the Debian binary, a temporary store, a free port) scraping the app. */
class Prometheus {
  readonly dir = mkdtempSync(join(tmpdir(), 'prometheus-test-'));
  port = 0;
  output = '';
  private process: ChildProcess | null = null;

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(target: string): Promise<void> {
    if (!existsSync(PROMETHEUS)) {
      throw new Error(`${PROMETHEUS} is missing: bash scripts/ensure-services.sh installs Prometheus (Debian's prometheus package), or set PROMETHEUS_BIN`);
    }
    expect(rulesWithShortFor(join(this.dir, 'rules'))).toBeGreaterThan(0);
    writeFileSync(
      join(this.dir, 'prometheus.yml'),
      [
        'global:',
        `  scrape_interval: ${INTERVAL}`,
        `  evaluation_interval: ${INTERVAL}`,
        'rule_files:',
        `  - ${join(this.dir, 'rules')}/*.yml`,
        'scrape_configs:',
        '  - job_name: shop-payments',
        '    static_configs:',
        `      - targets: ["${target}"]`,
      ].join('\n'),
    );
    this.port = await freePort();
    const child = spawn(
      PROMETHEUS,
      [`--config.file=${join(this.dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(this.dir, 'data')}`, `--web.listen-address=127.0.0.1:${this.port}`],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.process = child;
    child.stdout!.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    const deadline = Date.now() + 15_000;
    while (!(await fetch(`${this.url}/-/ready`).then((r) => r.ok, () => false))) {
      if (child.exitCode !== null) throw new Error(`prometheus exited during start-up:\n${this.output}`);
      if (Date.now() > deadline) throw new Error(`prometheus not ready within 15 s:\n${this.output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async query(expr: string): Promise<Series[]> {
    const res = await fetch(`${this.url}/api/v1/query?${new URLSearchParams({ query: expr })}`);
    const body = (await res.json()) as { status: string; error?: string; data: { result: Series[] } };
    if (body.status !== 'success') throw new Error(`${expr}: ${body.error}`);
    return body.data.result;
  }

  async alerts(): Promise<Alert[]> {
    return ((await (await fetch(`${this.url}/api/v1/alerts`)).json()) as { data: { alerts: Alert[] } }).data.alerts;
  }

  async ruleFailures(): Promise<string[]> {
    const body = (await (await fetch(`${this.url}/api/v1/rules`)).json()) as { data: { groups: { rules: { name: string; health: string; lastError?: string }[] }[] } };
    return body.data.groups.flatMap((g) => g.rules).filter((r) => r.health === 'err').map((r) => `${r.name}: ${r.lastError}`);
  }

  async stop(): Promise<void> {
    const child = this.process;
    this.process = null;
    await terminate(child);
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Every query of the dashboard, rows' panels included, with the panel it belongs to. */
function dashboardQueries(): { panel: string; expr: string }[] {
  const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as { panels: Panel[] };
  const panels = dashboard.panels.flatMap((p) => [p, ...(p.panels ?? [])]).filter((p) => p.type !== 'row');
  return panels.flatMap((p) => {
    if (!p.targets?.length) throw new Error(`panel "${p.title}" has no query`);
    return p.targets.map(({ expr }) => ({ panel: p.title, expr }));
  });
}

/**
 * As Grafana sends them: the instance variable at "All" (its allValue), and $__rate_interval a
 * minute, which takes in all of this test's traffic while being many scrapes long.
 */
function substituted(expr: string): string {
  const done = expr.replaceAll('$__rate_interval', '1m').replaceAll('$instance', '.*');
  expect(done).not.toContain('$');
  return done;
}

function recordingRules(): string[] {
  const text = readFileSync(join(RULES, 'shop-payments.recording.yml'), 'utf8');
  return [...text.matchAll(/^\s+- record: (\S+)$/gm)].map(([, name]) => name);
}

describe('monitoring: Prometheus with the repository rules, and the dashboard, against a running service (e2e)', () => {
  const pg = new PgSimulator({ secretKey: SECRET });
  // The alert webhook refuses each alert's first delivery, so that the outbox retries one (the retry rule has something to record).
  const alerts = new Receiver((_, attempt) => (attempt === 1 ? 500 : 200));
  const nats = new NatsServer();
  const prometheus = new Prometheus();
  let t: TestApp;
  let s: ReturnType<typeof shop>;
  const admin = () => bearer(t.token(900_000, 'admin'));

  beforeAll(async () => {
    await pg.start();
    await alerts.up();
    await nats.start();
    t = await createTestApp({
      env: { ...gatewayEnv(pg.url, SECRET, 1_000, alerts.url), NATS_URL: nats.url, EVENT_LOG_STREAM: `MONITORING_${Date.now()}` },
    });
    s = shop(t);
    await prometheus.start(new URL(t.baseUrl).host);
    // Its first scrape comes a few seconds after it is ready (target discovery is batched): the
    // traffic must come after it, or every counter would start at its final value and rise by nothing.
    await until(async () => (await prometheus.query('up{job="shop-payments"} == 1')).length > 0, 15_000);
  });
  afterAll(async () => {
    await prometheus.stop();
    await t?.close();
    await pg.stop();
    await alerts.down();
    await nats.destroy();
  });

  /** Returns once Prometheus has scraped the app `times` more times from now. */
  async function scraped(times = 1): Promise<void> {
    const after = Date.now() / 1_000 + times - 1;
    await until(async () => Number((await prometheus.query('timestamp(up{job="shop-payments"})'))[0]?.value[1]) > after, 5_000 + times * 1_000);
  }

  async function placeOrder(userId: number, optionId: number) {
    return (await s.order(userId, [{ productOptionId: optionId, quantity: 1 }]).expect(201)).body as { id: number; finalAmount: number };
  }

  /** The checkout, the customer's authorisation at the simulator, and the shop's confirm, as a shopper's browser does them. */
  async function payThroughGateway(userId: number, order: { id: number; finalAmount: number }, method: 'CARD' | 'VIRTUAL_ACCOUNT', behaviour?: Parameters<PgSimulator['checkout']>[2]) {
    const { gatewayOrderId } = (await t.http().post(`/orders/${order.id}/checkout`).set(bearer(t.token(userId))).send({ method }).expect(201)).body;
    const paymentKey = pg.checkout(gatewayOrderId, order.finalAmount, behaviour, { method });
    const res = await t.http().post('/payments').set(bearer(t.token(userId))).send({ method, orderId: order.id, paymentKey });
    return { res, paymentKey, gatewayOrderId: gatewayOrderId as string };
  }

  it('every dashboard panel and recording rule has series from real traffic, and the gateway alert fires once the gateway is gone', async () => {
    const started = new Date();
    const product = await s.product(1_000, [100]);
    const option = product.options[0].id;

    // Balance: one paid and refunded, one refused.
    await s.charge(1, 1_000);
    const byBalance = await placeOrder(1, option);
    await s.pay(1, byBalance.id).expect(201);
    expect((await s.pay(1, (await placeOrder(1, option)).id).expect(402)).body.code).toBe('INSUFFICIENT_BALANCE');
    await t.http().post(`/admin/orders/${byBalance.id}/refunds`).set(admin()).send({ reason: 'monitoring test' }).expect(201);

    // Cards through the simulator: three approved (one cancelled later in its console), one declined.
    const cards: Awaited<ReturnType<typeof payThroughGateway>>[] = [];
    const payByCard = async () => {
      const paid = await payThroughGateway(2, await placeOrder(2, option), 'CARD');
      expect(paid.res.status).toBe(201);
      cards.push(paid);
    };
    await payByCard();
    const declined = await payThroughGateway(3, await placeOrder(3, option), 'CARD', { kind: 'decline' });
    expect(declined.res.status).toBe(402);
    // A labelled series appears with its first increment, which no rate can see: the shop's
    // traffic goes on after Prometheus has seen it, as it does in a shop that sells.
    await scraped();
    await payByCard();
    await payByCard();

    // A virtual account: issued, a forged deposit callback refused, an unreadable webhook, the deposit.
    const account = await payThroughGateway(4, await placeOrder(4, option), 'VIRTUAL_ACCOUNT');
    expect(account.res.status).toBe(202);
    await t.http().post('/webhooks/payment-gateway').send({ orderId: account.gatewayOrderId, secret: 'forged', status: 'DONE', transactionKey: 'forged' }).expect(401);
    await t.http().post('/webhooks/payment-gateway').send([]).expect(400);
    pg.deposit(account.paymentKey);

    // A cancel the shop did not make; the reconciliation finds it, and settles the deposit.
    pg.consoleCancel(cards[0].paymentKey, { cancelReason: 'refunded by phone' });
    const reconciliation = await t.http().post('/admin/reconciliations').set(admin()).send({ from: new Date(started.getTime() - 60_000).toISOString(), to: new Date(Date.now() + 60_000).toISOString() });
    expect(reconciliation.status).toBe(201);
    expect(reconciliation.body.mismatches).toEqual([expect.objectContaining({ kind: 'CANCEL_WITHOUT_REFUND' })]);

    // A rate needs two samples of a series: a few scrapes after the last of the traffic.
    await until(async () => (await prometheus.query('virtual_account_deposits_total'))[0]?.value[1] === '1', 10_000);
    await until(async () => (await prometheus.query('event_log_publications_total{result="published"}')).length > 0, 10_000);
    await scraped(3);
    const paid = await prometheus.query('orders_paid_total');
    expect(Object.fromEntries(paid.map((p) => [p.metric.method, Number(p.value[1])]))).toEqual({ BALANCE: 1, CARD: 3, EASY_PAY: 0, VIRTUAL_ACCOUNT: 1 });

    const queries = dashboardQueries();
    const alertPanels = queries.filter((q) => q.expr.includes('ALERTS'));
    const empty: string[] = [];
    for (const { panel, expr } of queries.filter((q) => !alertPanels.includes(q))) {
      if ((await prometheus.query(substituted(expr))).length === 0) empty.push(`${panel}: ${expr}`);
    }
    expect(empty).toEqual([]);
    // Recording rules have run at least once over traffic by now (every second).
    const unrecorded: string[] = [];
    for (const name of recordingRules()) if ((await prometheus.query(name)).length === 0) unrecorded.push(name);
    expect(unrecorded).toEqual([]);
    expect(await prometheus.ruleFailures()).toEqual([]);
    expect((await prometheus.alerts()).filter((a) => a.labels.alertname === 'PaymentGatewayErrors')).toEqual([]);

    // The gateway goes away: card payments answer 503 until the alert fires.
    await pg.down('refuse');
    const firing = async () => (await prometheus.alerts()).find((a) => a.labels.alertname === 'PaymentGatewayErrors' && a.state === 'firing');
    let attempts = 0;
    const deadline = Date.now() + 30_000;
    while (!(await firing())) {
      if (Date.now() > deadline) throw new Error(`PaymentGatewayErrors not firing after ${attempts} card payments; alerts: ${JSON.stringify(await prometheus.alerts())}`);
      const failed = await payThroughGateway(10 + attempts, await placeOrder(10 + attempts, option), 'CARD');
      expect(failed.res.status).toBe(503);
      expect(failed.res.body.code).toBe('PAYMENT_GATEWAY_UNAVAILABLE');
      attempts++;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect((await firing())!.labels).toEqual({ alertname: 'PaymentGatewayErrors', operation: 'confirm', service: 'shop-payments', severity: 'critical' });
    // Its expression needs three failures seen in five minutes: fewer cannot have fired it.
    expect(attempts).toBeGreaterThanOrEqual(3);

    // The dashboard's alert list shows it.
    for (const { panel, expr } of alertPanels) {
      const shown = (await prometheus.query(substituted(expr))).map((series) => series.metric.alertname);
      expect({ panel, shown }).toEqual({ panel, shown: expect.arrayContaining(['PaymentGatewayErrors']) });
    }
  });
});
