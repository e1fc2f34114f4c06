import type { Env } from '../core/config/load';
import { ALLOW_HOSTS_ENV, allowedHostsFile, flagAllowances, userAllowances } from '../core/providers/allowedHosts';
import { hostSpec, refusalReason, type HostAllowance, type RefusedKey } from '../core/providers/keyPolicy';
import { style } from './style';
import { UsageError } from './usage';

/** What the user allows beyond the built-in vendor hosts: $PROMPT_REGISTRY_ALLOW_HOSTS, the allowed-hosts file, --allow-host. */
export function cliAllowances(
  env: Env,
  flags: readonly string[] | undefined,
  err: (s: string) => void,
): HostAllowance[] {
  const fromFlags = flagAllowances(flags ?? []);
  if (fromFlags.problems.length) throw new UsageError(fromFlags.problems[0]!);
  const user = userAllowances(env);
  for (const p of user.problems) err(`note: ${p} (ignored)`);
  return [...user.hosts, ...fromFlags.hosts];
}

/** One line per refused key: the variable, the host, and the three ways to allow it. */
export function refusalLines(refused: readonly RefusedKey[], env: Env): string[] {
  return refused.map((r) => {
    const h = hostSpec(r);
    return `${style.red('✖')} ${r.provider}: ${refusalReason(r)}. Nothing was sent. To allow it, pass --allow-host ${h}, set ${ALLOW_HOSTS_ENV}=${h}, or add ${h} to ${allowedHostsFile(env)}`;
  });
}
