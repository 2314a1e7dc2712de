import { PgSimulator, PgSimulatorOptions } from '../../tools/pg-simulator';
import { gatewayEnv } from './gateway-env';
import { Receiver } from './receiver';
import { shop } from './shop';
import { createTestApp, TestApp, TestAppOptions } from './test-app';

/**
 * What a test file that pays through the gateway starts before its tests and stops after them:
 * the simulator, the receiver of the shop's alerts, and an app paying through both (gatewayEnv).
 */
export class GatewayTestApp {
  readonly pg: PgSimulator;
  readonly alerts = new Receiver();
  private app: TestApp | undefined;

  constructor(
    private readonly secretKey: string,
    private readonly timeoutMs: number,
    simulator: Omit<PgSimulatorOptions, 'secretKey'> = {},
  ) {
    this.pg = new PgSimulator({ ...simulator, secretKey });
  }

  /** `env` goes over gatewayEnv's; the app's other options as createTestApp takes them. */
  async start(env: Record<string, string> = {}, options: Omit<TestAppOptions, 'env'> = {}): Promise<{ t: TestApp; s: ReturnType<typeof shop> }> {
    await this.pg.start();
    await this.alerts.up();
    this.app = await createTestApp({ ...options, env: { ...gatewayEnv(this.pg.url, this.secretKey, this.timeoutMs, this.alerts.url), ...env } });
    return { t: this.app, s: shop(this.app) };
  }

  async stop(): Promise<void> {
    await this.app?.close();
    await this.pg.stop();
    await this.alerts.down();
  }
}
