/** The credentials a client can hold, and how they look on the wire. */

/** Username and password, an OAuth2 refresh ("identity") token, or a registry token used as is. */
export type Credentials =
  | { username: string; password: string }
  | { identityToken: string }
  | { registryToken: string };

/** `Authorization` value for HTTP Basic. */
export function basicAuthorization(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
}

/** Every string in `credentials` that must never be shown (for the redactor). */
export function secretsOf(credentials: Credentials | undefined): string[] {
  if (credentials === undefined) return [];
  if ('password' in credentials) {
    // The password, `user:password` in base64 (a Basic header), and the password alone in base64.
    const basic = basicAuthorization(credentials.username, credentials.password).slice('Basic '.length);
    const passwordBase64 = Buffer.from(credentials.password, 'utf8').toString('base64');
    return [credentials.password, basic, passwordBase64];
  }
  const token = 'identityToken' in credentials ? credentials.identityToken : credentials.registryToken;
  return [token, Buffer.from(token, 'utf8').toString('base64')];
}
