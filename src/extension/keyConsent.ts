import * as vscode from 'vscode';
import { userAllowances } from '../core/providers/allowedHosts';
import { allowanceFor, type HostAllowance, type RefusedKey } from '../core/providers/keyPolicy';

/** The answers the modal offers; `undefined` is Cancel (or Escape). */
export type ConsentAnswer = 'once' | 'always' | undefined;

/** Asks the user about one refused key. Replaceable through the extension API, so integration tests can answer the modal. */
export type ConsentPrompt = (refused: RefusedKey) => Thenable<ConsentAnswer>;

const STATE_KEY = 'promptRegistry.allowedKeyHosts';
const ALLOW_ONCE = 'Allow once';
const ALWAYS = 'Always for this host';

/** The modal: "Send the key in $X to https://host?". */
export const askWithModal: ConsentPrompt = async (r) => {
  const picked = await vscode.window.showWarningMessage(
    `Send the key in $${r.variable} to ${r.origin}?`,
    {
      modal: true,
      detail: `Provider "${r.provider}" in prompt-registry.yaml points there. The repository chose this host; only you can let your key go to it. "Always" is remembered for this host in VS Code (never in the workspace).`,
    },
    ALLOW_ONCE,
    ALWAYS,
  );
  return picked === ALLOW_ONCE ? 'once' : picked === ALWAYS ? 'always' : undefined;
};

/**
 * The user's side of the key policy in VS Code: what PROMPT_REGISTRY_ALLOW_HOSTS and
 * the user-level allowed-hosts file say, plus "Always for this host" answers kept in
 * global state (a workspace must never allow hosts for itself).
 */
export class KeyConsent implements vscode.Disposable {
  private readonly allowed = new vscode.EventEmitter<void>();
  /** Fires after an "Always" answer: skipped automatic refreshes run again. */
  readonly onDidAllow = this.allowed.event;
  prompt: ConsentPrompt = askWithModal;

  constructor(
    private readonly state: vscode.Memento,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  /** Everything allowed without asking. */
  allowances(): HostAllowance[] {
    return [...userAllowances(this.env).hosts, ...this.remembered()];
  }

  /**
   * Asks about each refused key (explicit actions only: never from an automatic refresh).
   * Returns the allowances for this action, the remembered ones included, and what was declined.
   */
  async ask(refused: readonly RefusedKey[]): Promise<{ allowances: HostAllowance[]; declined: RefusedKey[] }> {
    const once: HostAllowance[] = [];
    const declined: RefusedKey[] = [];
    let always = false;
    for (const r of refused) {
      const answer = await this.prompt(r);
      if (answer === 'once') once.push(allowanceFor(r, 'editor'));
      else if (answer === 'always') {
        await this.remember(allowanceFor(r, 'editor'));
        always = true;
      } else declined.push(r);
    }
    if (always) this.allowed.fire();
    return { allowances: [...this.allowances(), ...once], declined };
  }

  private remembered(): HostAllowance[] {
    return this.state.get<HostAllowance[]>(STATE_KEY, []).map((a) => ({ ...a, source: 'editor' as const }));
  }

  private async remember(a: HostAllowance): Promise<void> {
    const all = this.remembered().filter((x) => !(x.host === a.host && x.port === a.port && x.variable === a.variable));
    await this.state.update(STATE_KEY, [...all, a]);
  }

  dispose(): void {
    this.allowed.dispose();
  }
}
