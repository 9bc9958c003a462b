/**
 * Where lab ports are published and reached. Loopback by default (the security rule: a lab is
 * never exposed to the network). A remote DOCKER_HOST's loopback is not this machine's, so
 * such a setup opts in explicitly with BREAKFIX_PUBLISH_ADDRESS (docs/scaling.md).
 */
export interface PublishSettings {
  /** Address ports are bound to on the Docker host. */
  bindAddress: string;
  /** Address this process connects to. */
  connectHost: string;
}

export function publishSettings(env: NodeJS.ProcessEnv = process.env): PublishSettings {
  const bindAddress = env.BREAKFIX_PUBLISH_ADDRESS?.trim() || '127.0.0.1';
  const dockerHost = env.DOCKER_HOST?.trim() ?? '';
  const remote = /^(tcp|ssh|http|https):\/\//.test(dockerHost)
    ? new URL(dockerHost.replace(/^ssh:\/\//, 'tcp://')).hostname
    : undefined;
  // testcontainers would answer the bridge gateway when it believes it runs in a container;
  // lab ports are bound to loopback, so locally the answer is always loopback.
  return { bindAddress, connectHost: remote ?? (bindAddress === '0.0.0.0' ? '127.0.0.1' : bindAddress) };
}
