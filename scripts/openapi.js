#!/usr/bin/env node
// Writes the OpenAPI document of the built server (dist/, `npm run build`) to a file, default
// dist/openapi.json, without Postgres, Redis or a port: Nest's preview mode builds the module
// graph and the controllers' metadata without instantiating a provider, so nothing connects.
// The document is the one /docs-json serves (the same openApiDocument); no route depends
// on the configuration, so placeholder values that are never dialled do.
require('reflect-metadata');
const { mkdirSync, writeFileSync } = require('node:fs');
const { dirname, join, resolve } = require('node:path');
const { NestFactory } = require('@nestjs/core');

const dist = join(__dirname, '..', 'dist');
const { AppModule } = require(join(dist, 'app.module'));
const { loadConfig } = require(join(dist, 'app.settings'));
const { openApiDocument } = require(join(dist, 'app.openapi'));

async function main() {
  const out = resolve(process.argv[2] ?? join(dist, 'openapi.json'));
  const config = loadConfig({
    DATABASE_URL: 'postgres://preview.invalid/shop',
    REDIS_URL: 'redis://preview.invalid:6379',
    JWT_SECRET: 'preview-only-never-used-to-sign',
  });
  const app = await NestFactory.create(AppModule.forRoot(config), { preview: true, logger: false, abortOnError: false });
  const document = openApiDocument(app);
  await app.close();
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(document, null, 2)}\n`);
  process.stdout.write(`${out}: ${Object.keys(document.paths).length} paths\n`);
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
