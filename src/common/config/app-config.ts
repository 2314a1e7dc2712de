import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { ENV_KEYS, EnvSchema } from './env.schema';

export type AppConfig = Readonly<EnvSchema>;
export const APP_CONFIG = Symbol('APP_CONFIG');

export class ConfigError extends Error {}

/**
 * Reads and validates the environment once. The first invalid variable is reported in one line
 * naming it, so an operator sees exactly what to fix; nothing is echoed for secrets.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const raw: Record<string, string> = {};
  for (const key of ENV_KEYS) {
    const value = env[key];
    // An empty value means "not set", so that `FOO=` in a .env file falls back to the default.
    if (value !== undefined && value.trim() !== '') raw[key] = value.trim();
  }
  const config = plainToInstance(EnvSchema, raw);
  const errors = validateSync(config, { forbidUnknownValues: true });
  if (errors.length > 0) {
    const first = errors[0];
    const reason = Object.values(first.constraints ?? {})[0] ?? 'is invalid';
    const missing = raw[first.property] === undefined;
    throw new ConfigError(
      missing ? `Invalid configuration: ${first.property} is required (${reason})` : `Invalid configuration: ${reason}`,
    );
  }
  return Object.freeze(config);
}
