// Child process of indexing.bench.ts (bundled, plain node): one index + validate of the repository in
// argv[2], then its peak RSS in bytes on stdout.
import { PromptWorkspace } from '../src/core/workspace/promptWorkspace';

const ws = new PromptWorkspace(process.argv[2]!);
ws.scan();
ws.validate();
process.stdout.write(String(process.resourceUsage().maxRSS * 1024));
