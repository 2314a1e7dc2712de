import { AlertingSettings } from './alerting/alerting.settings';
import { CommonSettings } from './common/config/common.settings';
import { loadSettings } from './common/config/settings';
import { EventLogSettings } from './event-log/event-log.settings';
import { OrderSettings } from './order/order.settings';
import { PaymentSettings } from './payment/payment.settings';
import { ProductSettings } from './product/product.settings';
import { ReconciliationSettings } from './reconciliation/reconciliation.settings';

/** Every module's settings class: the variables the process reads (`.env.example` lists the same). */
export const SETTINGS = [CommonSettings, ProductSettings, OrderSettings, PaymentSettings, ReconciliationSettings, AlertingSettings, EventLogSettings] as const;

/** The whole configuration, for the composition root (main.ts, the cluster primary) and the tests. */
export type AppConfig = Readonly<CommonSettings & ProductSettings & OrderSettings & PaymentSettings & ReconciliationSettings & AlertingSettings & EventLogSettings>;

/** Reads and validates every module's settings from the environment; stops on the first invalid variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  return Object.freeze(Object.assign({}, ...loadSettings(SETTINGS, env))) as AppConfig;
}
