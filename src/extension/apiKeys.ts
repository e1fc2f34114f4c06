import * as vscode from 'vscode';
import type { ResolvedProvider } from '../core/config/load';
import { originOf } from '../core/providers/keyPolicy';
import { needsApiKey } from '../core/providers/keys';
import { Notifier } from './notifier';

/**
 * API keys live in VS Code's SecretStorage (set with "Set API Key") or in the
 * provider's environment variable. They are never written to a file or the log.
 * A stored key belongs to the provider's name and origin together: if the config
 * later points that name elsewhere, the stored key is not used there.
 */
export class ApiKeys {
  /** Reads the key (masked). Replaceable through the extension API, so integration tests can type one. */
  input: (options: vscode.InputBoxOptions) => Thenable<string | undefined> = (o) => vscode.window.showInputBox(o);

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly notifier: Notifier = new Notifier(),
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  async get(provider: ResolvedProvider): Promise<string | undefined> {
    return (await this.secrets.get(secretName(provider))) || this.env[provider.apiKeyEnv] || undefined;
  }

  async describe(provider: ResolvedProvider): Promise<string> {
    if (await this.secrets.get(secretName(provider))) return 'stored in VS Code';
    if (this.env[provider.apiKeyEnv]) return `from $${provider.apiKeyEnv}`;
    return 'not set';
  }

  /** Asks for a key (masked) and stores it; an empty answer removes the stored key. */
  async promptAndStore(providers: ResolvedProvider[]): Promise<ResolvedProvider | undefined> {
    const remote = providers.filter(needsApiKey);
    if (remote.length === 0) {
      void this.notifier.info(
        'No provider in prompt-registry.yaml needs an API key (echo, local servers on a loopback address and "apiKeyEnv: none" take none).',
      );
      return undefined;
    }
    let provider = remote[0]!;
    if (remote.length > 1) {
      const items = await Promise.all(
        remote.map(async (p) => ({
          label: p.name,
          description: p.baseURL,
          detail: `Key: ${await this.describe(p)}`,
          provider: p,
        })),
      );
      const picked = await vscode.window.showQuickPick(items, { title: 'Set API Key: which provider?' });
      if (!picked) return undefined;
      provider = picked.provider;
    }
    const key = await this.input({
      title: `API key for ${provider.name} (${originOf(provider.baseURL ?? 'https://api.openai.com/v1')?.origin ?? provider.baseURL})`,
      prompt: `Stored in VS Code's secret storage, never in a file, and used only at this address. Leave empty to remove the stored key (then $${provider.apiKeyEnv} is used if set).`,
      password: true,
      ignoreFocusOut: true,
      placeHolder: 'sk-…',
    });
    if (key === undefined) return undefined;
    if (key.trim() === '') {
      await this.secrets.delete(secretName(provider));
      void this.notifier.info(`Removed the stored API key for ${provider.name}.`);
    } else {
      await this.secrets.store(secretName(provider), key.trim());
      void this.notifier.info(`Stored the API key for ${provider.name}.`);
    }
    return provider;
  }
}

function secretName(p: ResolvedProvider): string {
  const origin = originOf(p.baseURL ?? 'https://api.openai.com/v1')?.origin ?? p.baseURL ?? '';
  return `promptRegistry.apiKey.${p.name}@${origin}`;
}
