import { DynamicModule, Global, Module } from '@nestjs/common';
import { SettingsClass, settingsOf } from './settings';

/** Hands each module the settings class it declared, by the class itself (`constructor(settings: PaymentSettings)`). */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: object, classes: readonly SettingsClass[]): DynamicModule {
    const providers = classes.map((settings) => ({ provide: settings, useValue: settingsOf(settings, config) }));
    return { module: ConfigModule, providers, exports: classes as SettingsClass[] };
  }
}
