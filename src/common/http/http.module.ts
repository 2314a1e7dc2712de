import { Global, Module } from '@nestjs/common';
import { HttpServerLimits } from './http-server-limits';

@Global()
@Module({ providers: [HttpServerLimits], exports: [HttpServerLimits] })
export class HttpModule {}
