import { createSecretKey } from 'node:crypto';
import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { AuthGuard } from './auth.guard';
import { CommonSettings } from '../config/common.settings';

@Module({
  imports: [
    JwtModule.registerAsync({
      inject: [CommonSettings],
      // A KeyObject, not the string: given a string, jsonwebtoken first tries to parse it as a PEM
      // key on every verify (a third of a millisecond each, the largest CPU cost per request).
      useFactory: (config: CommonSettings) => ({ secret: createSecretKey(Buffer.from(config.JWT_SECRET)), verifyOptions: { algorithms: ['HS256'] } }),
    }),
  ],
  providers: [{ provide: APP_GUARD, useClass: AuthGuard }],
})
export class AuthModule {}
