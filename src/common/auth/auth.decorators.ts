import { SetMetadata, createParamDecorator, ExecutionContext, applyDecorators } from '@nestjs/common';
import { ApiForbiddenResponse } from '@nestjs/swagger';
import type { AuthUser } from './auth-user';
import { errorResponseSchema } from '../docs/error-schema';
import { ForbiddenError } from './auth.errors';

export const IS_PUBLIC = 'auth:public';
export const ADMIN_ONLY = 'auth:admin';

/** No token needed: health, metrics, docs and the public catalog (the OpenAPI document says `security: []` for them). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** Needs `role: "admin"`, else 403 FORBIDDEN. */
export const AdminOnly = () =>
  applyDecorators(
    SetMetadata(ADMIN_ONLY, true),
    ApiForbiddenResponse({ description: 'FORBIDDEN: the token is not an admin token', schema: errorResponseSchema([ForbiddenError.code]) }),
  );

export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthUser => {
  return ctx.switchToHttp().getRequest<{ user: AuthUser }>().user;
});
