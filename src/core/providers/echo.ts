import { ProviderError } from './errors';
import type { ChatMessage } from '../prompt/template';
import { estimateTokenCount, type ChatProvider, type Completion, type CompletionRequest } from './types';

/** The name `--provider echo` selects, whatever the config says. */
export const BUILTIN_ECHO = 'echo';

/**
 * The offline provider: answers with the rendered messages, so suites run with
 * no key and no network (npm start, CI without secrets, the samples).
 *
 * Text mode: each message as a role line and its content, separated by a blank
 * line: "system:\n…\n\nuser:\n…" (the prompt file's own layout, rendered).
 * JSON mode (output.format json): {"model": "<id>", "messages": [{"role", "content"}, …]}.
 */
export function echoAnswer(messages: ChatMessage[], model: string, json: boolean): string {
  return json ? JSON.stringify({ model, messages }) : messages.map((m) => `${m.role}:\n${m.content}`).join('\n\n');
}

export class EchoProvider implements ChatProvider {
  readonly kind = 'echo';
  readonly cacheIdentity: string;

  constructor(readonly name: string = BUILTIN_ECHO) {
    this.cacheIdentity = `echo:${name}`;
  }

  async complete(req: CompletionRequest): Promise<Completion> {
    if (req.signal.aborted) throw new ProviderError(this.name, 'timeout', 'aborted');
    const text = echoAnswer(req.messages, req.model, req.json);
    const input = req.messages.reduce((n, m) => n + estimateTokenCount(m.content), 0);
    return { text, model: req.model, usage: { input, output: estimateTokenCount(text), estimated: true } };
  }
}
