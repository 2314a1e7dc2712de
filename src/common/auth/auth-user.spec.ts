import { authUserFromClaims, InvalidTokenError } from './auth-user';

describe('authUserFromClaims', () => {
  it('reads sub as a string or a number and defaults the role to user', () => {
    expect(authUserFromClaims({ sub: '42' })).toEqual({ id: 42, role: 'user' });
    expect(authUserFromClaims({ sub: 42, role: 'admin' })).toEqual({ id: 42, role: 'admin' });
  });

  it.each([{ sub: '0' }, { sub: '-1' }, { sub: '1.5' }, { sub: 1.5 }, { sub: '01' }, { sub: 'abc' }, {}, { sub: '99999999999999999' }, { sub: '1', role: 'root' }])(
    'refuses %p',
    (claims) => {
      expect(() => authUserFromClaims(claims)).toThrow(InvalidTokenError);
    },
  );
});
