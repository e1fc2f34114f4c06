import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Env } from '../config/load';
import { parseHost, parseHostList, type HostAllowance } from './keyPolicy';

/** Comma-separated `host` or `host:port` the user lets keys reach, outside any repository. */
export const ALLOW_HOSTS_ENV = 'PROMPT_REGISTRY_ALLOW_HOSTS';

/**
 * The user-level allowed-hosts file: `$XDG_CONFIG_HOME/prompt-registry/allowed-hosts`,
 * else `%APPDATA%\prompt-registry\allowed-hosts` on Windows, else
 * `~/.config/prompt-registry/allowed-hosts` (macOS too, as most CLIs do).
 * Never inside a repository: a repository must not allow hosts for itself.
 */
export function allowedHostsFile(
  env: Env = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = os.homedir(),
): string {
  const base =
    env.XDG_CONFIG_HOME?.trim() || (platform === 'win32' && env.APPDATA?.trim()) || path.join(home, '.config');
  return path.join(base, 'prompt-registry', 'allowed-hosts');
}

export interface UserAllowances {
  hosts: HostAllowance[];
  /** Entries that are not hosts, each naming where it was; the rest still count. */
  problems: string[];
}

/** What the environment variable and the user-level file allow (the CLI adds --allow-host, VS Code its remembered answers). */
export function userAllowances(env: Env = process.env, file: string = allowedHostsFile(env)): UserAllowances {
  const fromEnv = parseHostList(env[ALLOW_HOSTS_ENV] ?? '', 'env');
  let text = '';
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    // No file: nothing allowed by it.
  }
  const fromFile = parseHostList(text, 'file');
  return {
    hosts: [...fromEnv.hosts, ...fromFile.hosts],
    problems: [
      ...fromEnv.problems.map((p) => `${ALLOW_HOSTS_ENV}: ${p}`),
      ...fromFile.problems.map((p) => `${file}: ${p}`),
    ],
  };
}

/** `--allow-host` values; a bad one is the caller's usage error. */
export function flagAllowances(values: readonly string[]): UserAllowances {
  const hosts: HostAllowance[] = [];
  const problems: string[] = [];
  for (const v of values) {
    const h = parseHost(v, 'flag');
    if ('problem' in h) problems.push(`--allow-host: ${h.problem}`);
    else hosts.push(h);
  }
  return { hosts, problems };
}
