// RS256 tokens signed with a key pair generated for this run only (nothing is written outside the run's
// directory; the services get the public key through mp.jwt.verify.publickey.location).
import crypto from 'node:crypto';
import fs from 'node:fs';

export const ISSUER = 'https://tocsin.dev/local';

export function generateKeys(dir) {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' });
  const publicPem = publicKey.export({ type: 'spki', format: 'pem' });
  const publicPath = `${dir}/jwt-public.pem`;
  fs.writeFileSync(publicPath, publicPem);
  return { privatePem, publicPath };
}

const b64url = (s) => Buffer.from(s).toString('base64url');

export class Signer {
  constructor(privatePem) {
    this.key = crypto.createPrivateKey(privatePem);
    this.header = b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT' }));
  }

  token(user, groups, ttlSeconds = 3600) {
    const now = Math.floor(Date.now() / 1000);
    const claims = { iss: ISSUER, sub: user, upn: user, jti: crypto.randomUUID(), iat: now, exp: now + ttlSeconds, groups };
    const input = `${this.header}.${b64url(JSON.stringify(claims))}`;
    return `${input}.${crypto.sign('sha256', Buffer.from(input), this.key).toString('base64url')}`;
  }
}
