import { INestApplication } from '@nestjs/common';
import { OpenAPIObject } from '@nestjs/swagger';
import { buildOpenApiDocument } from './common/docs/openapi';

/** The tags the controllers use (@ApiTags), each declared once with what it groups. */
const TAGS = [
  { name: 'balance', description: "The caller's won balance: charges, and the ledger of charges, payments and refunds" },
  { name: 'products', description: 'The catalog (public) and its administration: products with per-option stock, and the sales ranking' },
  { name: 'cart', description: "The caller's cart" },
  { name: 'coupons', description: 'Coupon campaigns (admin), issued first come first served, one per user' },
  { name: 'orders', description: 'Orders priced by the server, their stock reserved until they are paid, cancelled or expire' },
  { name: 'payments', description: 'Paying an order from the balance or through the payment gateway (card, easy pay, virtual account), its checkouts, every attempt, and the gateway\'s webhooks' },
  { name: 'refunds', description: 'Refunds of paid orders (admin): back to the balance, or cancelled at the gateway' },
  { name: 'reconciliation', description: "The shop's books held against the payment gateway's transaction list (admin)" },
  { name: 'operations', description: 'Health, Prometheus metrics, and the outbox of after-commit work (admin)' },
];

/** The service's OpenAPI document, as /docs-json serves it and scripts/openapi.js writes it. */
export function openApiDocument(app: INestApplication): OpenAPIObject {
  return buildOpenApiDocument(app, TAGS);
}
