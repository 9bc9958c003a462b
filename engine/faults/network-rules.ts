/**
 * The iptables scripts the network faults run in a target's network namespace (from the fault
 * helper, NET_ADMIN only). Each fault owns one chain, named after its parameters, jumped to from
 * the filter hooks it needs; loopback is never touched, so the container's own healthcheck keeps
 * telling the truth about the process. Applying the same fault twice replaces its rules;
 * removing is idempotent.
 *
 * Service names reach the script only after serviceParam's pattern ([a-zA-Z0-9_.-]), chain
 * names are fixed prefixes plus hex, numbers are numbers: nothing here needs shell quoting.
 */
import { z } from 'zod';
import { serviceParam } from '../params/service.js';

export const peerParam = serviceParam.optional().meta({
  description:
    'Only the traffic exchanged with this service (resolved by name from the target); all traffic otherwise.',
});

export const peerSchema = z.object({ peer: peerParam });

export interface Hook {
  chain: 'INPUT' | 'OUTPUT';
  match: string;
}

export const INBOUND: Hook = { chain: 'INPUT', match: '! -i lo' };
export const OUTBOUND: Hook = { chain: 'OUTPUT', match: '! -o lo' };

const IPT = 'iptables -w 5';

/** Sets `$ips` to the IPv4 addresses `peer` has on the networks the target shares with it. */
export function resolvePeerScript(peer: string, service: string): string {
  return [
    `ips=$(getent ahostsv4 ${peer} | while read -r ip _; do echo "$ip"; done | sort -u)`,
    `[ -n "$ips" ] || { echo "${peer} does not resolve from ${service}: they share no network" >&2; exit 4; }`,
  ].join('\n');
}

/**
 * Creates (or empties) `chain`, fills it with `rules` — one iptables argument string per rule,
 * where `$ip` stands for each peer address when there is a peer — and hooks it in.
 */
export function installChainScript(options: {
  chain: string;
  hooks: Hook[];
  rules: (ip: string | undefined) => string[];
  peer?: string;
  service: string;
}): string {
  const { chain, hooks, rules, peer, service } = options;
  const lines = ['set -eu'];
  // Resolve first: a peer that does not resolve must leave nothing behind.
  if (peer) lines.push(resolvePeerScript(peer, service));
  lines.push(`${IPT} -N ${chain} 2>/dev/null || ${IPT} -F ${chain}`);
  if (peer) {
    lines.push('for ip in $ips; do', ...rules('$ip').map((rule) => `  ${IPT} -A ${chain} ${rule}`), 'done');
  } else {
    lines.push(...rules(undefined).map((rule) => `${IPT} -A ${chain} ${rule}`));
  }
  for (const hook of hooks)
    lines.push(
      `${IPT} -C ${hook.chain} ${hook.match} -j ${chain} 2>/dev/null || ${IPT} -I ${hook.chain} 1 ${hook.match} -j ${chain}`,
    );
  return lines.join('\n');
}

/** Unhooks and deletes `chain` in `table`; succeeds when it is already gone. */
export function removeChainScript(options: {
  chain: string;
  hooks: Array<{ chain: string; match: string }>;
  table?: 'filter' | 'nat';
}): string {
  const table = `-t ${options.table ?? 'filter'}`;
  const lines = options.hooks.map(
    (hook) => `while ${IPT} ${table} -D ${hook.chain} ${hook.match} -j ${options.chain} 2>/dev/null; do :; done`,
  );
  lines.push(
    `${IPT} ${table} -F ${options.chain} 2>/dev/null || true`,
    `${IPT} ${table} -X ${options.chain} 2>/dev/null || true`,
  );
  return lines.join('\n');
}
