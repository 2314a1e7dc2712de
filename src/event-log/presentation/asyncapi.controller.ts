import { Controller, Get } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { Public } from '../../common/auth/auth.decorators';
import asyncApiDocument from '../event-log.asyncapi.json';

/**
 * The event log's contract for the services that read it, served beside the OpenAPI document
 * and, like /docs-json, not listed in it: it describes no HTTP route.
 */
@ApiExcludeController()
@SkipThrottle()
@Controller('docs')
export class AsyncApiController {
  @Get('asyncapi.json')
  @Public()
  document(): typeof asyncApiDocument {
    return asyncApiDocument;
  }
}
