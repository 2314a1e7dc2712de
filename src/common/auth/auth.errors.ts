import { errorOf } from '../errors/domain-error';

export class UnauthorizedError extends errorOf('UNAUTHORIZED', 401) {
  constructor() {
    super('Missing or invalid bearer token');
  }
}

export class ForbiddenError extends errorOf('FORBIDDEN', 403) {
  constructor() {
    super('This route needs the admin role');
  }
}
