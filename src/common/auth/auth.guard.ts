import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import { RequestLogContext } from '../logging/request-log-context';
import { ADMIN_ONLY, IS_PUBLIC } from './auth.decorators';
import { ForbiddenError, UnauthorizedError } from './auth.errors';
import { AuthUser, authUserFromClaims } from './auth-user';

/** Global guard: bearer HS256 JWT on every route not marked @Public, admin role where asked. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly jwt: JwtService,
    private readonly logContext: RequestLogContext,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const req = context.switchToHttp().getRequest<{ headers: Record<string, string | undefined>; user?: AuthUser }>();
    const user = this.authenticate(req.headers.authorization);
    req.user = user;
    this.logContext.assign({ userId: user.id });
    if (this.reflector.getAllAndOverride<boolean>(ADMIN_ONLY, targets) && user.role !== 'admin') {
      throw new ForbiddenError();
    }
    return true;
  }

  /** The scheme is case-insensitive and followed by one or more spaces (RFC 7235 §2.1). */
  private authenticate(header: string | undefined): AuthUser {
    const match = /^bearer +([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/i.exec(header ?? '');
    if (!match) throw new UnauthorizedError();
    try {
      const claims = this.jwt.verify<Record<string, unknown>>(match[1], { algorithms: ['HS256'], clockTolerance: 30 });
      return authUserFromClaims(claims);
    } catch {
      throw new UnauthorizedError();
    }
  }
}
