// Child process of run.bench.ts: the bare `openai` client making the same calls at the same
// concurrency, nothing of ours. Its numbers are the floor this machine allows, printed as JSON.
import OpenAI from 'openai';

async function main() {
  const [baseURL, n, concurrency] = [process.argv[2]!, Number(process.argv[3]), Number(process.argv[4])];
  const client = new OpenAI({ apiKey: 'x', baseURL, dangerouslyAllowBrowser: true });
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        const i = next++;
        await client.chat.completions.create({
          model: 'm1',
          temperature: 0,
          messages: [
            { role: 'system', content: 'Be brief.' },
            { role: 'user', content: `question ${i}` },
          ],
        });
      }
    }),
  );
  const ru = process.resourceUsage();
  process.stdout.write(
    JSON.stringify({
      wallMs: performance.now() - t0,
      cpuMs: (ru.userCPUTime + ru.systemCPUTime) / 1000,
      maxRssBytes: ru.maxRSS * 1024,
    }),
  );
}

void main();
