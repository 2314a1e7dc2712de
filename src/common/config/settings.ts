import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validateSync } from 'class-validator';

/**
 * A class of settings (environment variables), declared by the module that reads them: its
 * properties are the variable names, validated with class-validator, with their defaults.
 */
export type SettingsClass<T extends object = object> = new () => T;

export class ConfigError extends Error {}

/** The variables a settings class reads: its validated properties. */
export function variablesOf(settings: SettingsClass): string[] {
  const metadata = getMetadataStorage().getTargetValidationMetadatas(settings, '', true, false);
  return [...new Set(metadata.map((m) => m.propertyName))];
}

/**
 * Reads and validates the environment once, for every settings class. The first invalid
 * variable is reported in one line naming it, so an operator sees exactly what to fix; nothing
 * is echoed for secrets. An empty value means "not set", so that `FOO=` falls back to the default.
 */
export function loadSettings(classes: readonly SettingsClass[], env: Record<string, string | undefined>): object[] {
  return classes.map((settings) => {
    const raw: Record<string, string> = {};
    for (const key of variablesOf(settings)) {
      const value = env[key];
      if (value !== undefined && value.trim() !== '') raw[key] = value.trim();
    }
    const loaded = plainToInstance(settings, raw);
    const errors = validateSync(loaded, { forbidUnknownValues: true });
    if (errors.length > 0) {
      const first = errors[0];
      const reason = Object.values(first.constraints ?? {})[0] ?? 'is invalid';
      const missing = raw[first.property] === undefined;
      throw new ConfigError(missing ? `Invalid configuration: ${first.property} is required (${reason})` : `Invalid configuration: ${reason}`);
    }
    return Object.freeze(loaded);
  });
}

/** One settings class's values out of the whole configuration, as an instance of it (what the module injects). */
export function settingsOf<T extends object>(settings: SettingsClass<T>, config: object): T {
  const values = Object.fromEntries(variablesOf(settings).map((key) => [key, (config as Record<string, unknown>)[key]]));
  return Object.freeze(Object.assign(Object.create(settings.prototype) as T, values));
}
