/**
 * Registry clients from registry configurations. Credentials are read from the environment
 * variables (or secret files) the config names, at the moment a client is made, and live only in the client.
 */
import type { RegistryConfig } from '../domain/registry.js';
import { OcidexError } from '../domain/errors.js';
import { credentialPolicyFromEnv, readSecretEnv, readSecretFile } from '../registry/credential-sources.js';
import { RegistryClient, type Credentials, type RegistryClientOptions } from '../registry/index.js';

/** Settings every client of the service gets (tests shorten retries, skip the Docker config). */
export type ClientDefaults = Partial<Omit<RegistryClientOptions, 'registry' | 'credentials'>>;

/** The client options of `config`; `invalid_argument` when a named variable is unset. */
export function clientOptions(
  config: RegistryConfig,
  env: NodeJS.ProcessEnv = process.env,
  defaults: ClientDefaults = {},
): RegistryClientOptions {
  const options: RegistryClientOptions = {
    dockerConfigPath: config.credentials?.dockerConfig === true ? undefined : null,
    ...defaults,
    registry: config.url,
    credentials: credentialsOf(config, env),
  };
  if (config.plainHttp !== undefined) options.plainHttp = config.plainHttp;
  if (config.concurrency !== undefined) options.concurrency = config.concurrency;
  if (config.rateLimit !== undefined) options.requestsPerSecond = config.rateLimit;
  return options;
}

/**
 * usernameEnv + a password (passwordEnv or passwordFile): Basic; a password alone: a registry
 * token; neither: none. The operator's credential policy is applied again here, so a stored
 * configuration that predates it (or a policy made stricter) cannot read what it no longer may.
 */
function credentialsOf(config: RegistryConfig, env: NodeJS.ProcessEnv): Credentials | undefined {
  const { usernameEnv, passwordEnv, passwordFile } = config.credentials ?? {};
  const policy = credentialPolicyFromEnv(env);
  const owner = `registry '${config.id}'`;
  const password = (): string | undefined => {
    if (passwordEnv !== undefined) return readSecretEnv(passwordEnv, env, policy, owner);
    return passwordFile === undefined ? undefined : readSecretFile(passwordFile, policy, owner);
  };
  if (usernameEnv !== undefined) {
    const secret = password();
    if (secret === undefined) {
      throw new OcidexError('invalid_argument', `${owner}: usernameEnv needs passwordEnv or passwordFile`);
    }
    return { username: readSecretEnv(usernameEnv, env, policy, owner), password: secret };
  }
  const token = password();
  return token === undefined ? undefined : { registryToken: token };
}

/**
 * One long-lived client per registry id (keep-alive connections, token cache), replaced when
 * its configuration changes. Crawls make their own clients; push events share these.
 */
export class ClientPool {
  readonly #clients = new Map<string, { key: string; client: RegistryClient }>();

  constructor(
    private readonly defaults: ClientDefaults = {},
    private readonly env: NodeJS.ProcessEnv = process.env,
    /** Options that depend on the registry beyond its config (queue mode: a shared rate limiter). */
    private readonly extra: (config: RegistryConfig) => Partial<RegistryClientOptions> = () => ({}),
  ) {}

  /** A client for `config`, made once per configuration. */
  get(config: RegistryConfig): RegistryClient {
    const key = JSON.stringify(config);
    const cached = this.#clients.get(config.id);
    if (cached?.key === key) return cached.client;
    if (cached !== undefined) void cached.client.close();
    const client = new RegistryClient({ ...clientOptions(config, this.env, this.defaults), ...this.extra(config) });
    this.#clients.set(config.id, { key, client });
    return client;
  }

  /** Closes every client. */
  async close(): Promise<void> {
    const clients = [...this.#clients.values()];
    this.#clients.clear();
    await Promise.allSettled(clients.map(({ client }) => client.close()));
  }
}
