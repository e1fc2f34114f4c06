// Writes the JSON Schemas that editors use (yamlValidation) from the zod schemas, the single source of truth.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { schemaFiles } from '../src/core/validation/jsonSchemas';

for (const [file, schema] of Object.entries(schemaFiles())) {
  fs.writeFileSync(path.join(__dirname, '..', 'schemas', file), `${JSON.stringify(schema, null, 2)}\n`);
  console.log(`wrote schemas/${file}`);
}
