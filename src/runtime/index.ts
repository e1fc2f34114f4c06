/**
 * prompt-registry/runtime: load a prompt by id (working tree, label or ref),
 * render it, and log each LLM call by the prompt's id and version.
 * Bundled on its own (dist/runtime.js): Node built-ins only, no vscode.
 */
export { loadPrompt, clearPromptCache } from './load';
export { callRecord, type CallInfo, type Usage } from './callRecord';
export { CallLog, hashVars, type CallRecord } from '../core/calls/callLog';
export {
  PromptRegistryError,
  PromptNotFoundError,
  PromptInvalidError,
  MissingInputError,
  InputTypeError,
  PromptGitError,
  type PromptProblem,
  type PromptSource,
} from './errors';
export type { LoadOptions, LoadedPrompt, Message, PromptInput, PromptOutput, InputType, GitStatus } from './types';
