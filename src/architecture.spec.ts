import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/**
 * DESIGN.md's module rules, checked on every test run rather than by review: a module reaches
 * another only through its published events, its one facade, or its Nest module class; domain
 * code needs no framework.
 */
const SRC = __dirname;
const MODULES = ['user', 'product', 'cart', 'coupon', 'order', 'payment'];
const FACADES = ['product/application/product-catalog', 'coupon/application/coupon-wallet', 'order/application/order-payments'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}

function imports(file: string): string[] {
  return [...readFileSync(file, 'utf8').matchAll(/(?:from|import)\s+'([^']+)'/g)].map((m) => m[1]);
}

const moduleOf = (path: string) => relative(SRC, path).split('/')[0];

describe('architecture', () => {
  const files = sourceFiles(SRC);

  it('finds the modules it checks', () => {
    expect(MODULES.every((m) => files.some((f) => moduleOf(f) === m))).toBe(true);
  });

  it('crosses module borders only through events, facades and module classes', () => {
    const violations: string[] = [];
    for (const file of files) {
      const from = moduleOf(file);
      if (!MODULES.includes(from)) continue;
      for (const spec of imports(file).filter((s) => s.startsWith('.'))) {
        const target = relative(SRC, resolve(dirname(file), spec));
        const to = target.split('/')[0];
        if (!MODULES.includes(to) || to === from) continue;
        const allowed = target.startsWith(`${to}/application/events/`) || FACADES.includes(target) || target === `${to}/${to}.module`;
        if (!allowed) violations.push(`${relative(SRC, file)} -> ${target}`);
      }
    }
    expect(violations).toEqual([]);
  });

  it('keeps domain code free of Nest, TypeORM, Redis and HTTP', () => {
    const violations = files
      .filter((f) => relative(SRC, f).split('/')[1] === 'domain')
      .flatMap((f) => imports(f).filter((s) => /^(@nestjs|typeorm|ioredis|pg|express)/.test(s)).map((s) => `${relative(SRC, f)} -> ${s}`));
    expect(violations).toEqual([]);
  });
});
