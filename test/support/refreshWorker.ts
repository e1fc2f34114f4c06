// Child process for the concurrency test: refreshes one provider N times against its own loopback server.
import { parseConfig } from '../../src/core/config/load';
import { refreshCatalog } from '../../src/core/catalog/refresh';

async function main() {
  const [root, name, baseURL, rounds] = process.argv.slice(2) as [string, string, string, string];
  const config = parseConfig(
    `providers:\n  - name: ${name}\n    baseURL: ${baseURL}\n`,
    `${root}/prompt-registry.yaml`,
    {},
  ).config;
  for (let i = 0; i < Number(rounds); i++) {
    const r = await refreshCatalog({ root, config, apiKeyFor: () => 'k', force: true });
    if (r.outcomes.some((o) => o.status === 'failed')) throw new Error(JSON.stringify(r.outcomes));
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
