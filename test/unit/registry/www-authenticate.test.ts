import { describe, expect, it } from 'vitest';
import { cleanScopes } from '../../../src/registry/scope.js';
import { parseChallenges } from '../../../src/registry/www-authenticate.js';

describe('parseChallenges', () => {
  it('reads a Docker Hub bearer challenge with a comma inside a quoted scope', () => {
    const header =
      'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:samalba/my-app:pull,push"';
    expect(parseChallenges([header])).toEqual([
      {
        scheme: 'bearer',
        params: {
          realm: 'https://auth.docker.io/token',
          service: 'registry.docker.io',
          scope: 'repository:samalba/my-app:pull,push',
        },
      },
    ]);
  });

  it('splits several challenges in one header and across headers', () => {
    const challenges = parseChallenges([
      'Basic realm="Registry Realm", Bearer realm="/token",service=reg',
      'Negotiate',
    ]);
    expect(challenges.map((challenge) => challenge.scheme)).toEqual(['basic', 'bearer', 'negotiate']);
    expect(challenges[0]!.params).toEqual({ realm: 'Registry Realm' });
    expect(challenges[1]!.params).toEqual({ realm: '/token', service: 'reg' });
  });

  it('handles escapes, spaces around "=", and case', () => {
    const [challenge] = parseChallenges(['BEARER Realm = "a\\"b" , Service=x']);
    expect(challenge).toEqual({ scheme: 'bearer', params: { realm: 'a"b', service: 'x' } });
  });

  it('returns nothing for an empty header', () => {
    expect(parseChallenges([''])).toEqual([]);
  });
});

describe('cleanScopes', () => {
  it('merges actions per resource and sorts', () => {
    expect(cleanScopes(['repository:b:pull', 'repository:a:push', 'repository:a:pull', 'registry:catalog:*'])).toEqual([
      'registry:catalog:*',
      'repository:a:pull,push',
      'repository:b:pull',
    ]);
  });

  it('lets * absorb other actions and drops empty ones', () => {
    expect(cleanScopes(['repository:a:pull', 'repository:a:*', 'repository:c:'])).toEqual(['repository:a:*']);
  });

  it('gives equal keys for equal needs in any order', () => {
    expect(cleanScopes(['repository:x:pull', 'repository:y:pull'])).toEqual(
      cleanScopes(['repository:y:pull', 'repository:x:pull', 'repository:x:pull']),
    );
  });
});
