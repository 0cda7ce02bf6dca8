// schema.mjs TABLE FILE.csv [MODEL.json]: print CREATE TABLE TABLE for the
// columns of FILE.csv's header, for loading it into PostgreSQL or DuckDB
// as a warehouse would hold it: the model's numeric features, churn_risk and
// expansion DOUBLE PRECISION, health INTEGER, every other column TEXT.
import { readFileSync } from 'node:fs';

const [table, csvPath, modelPath] = process.argv.slice(2);
const numeric = new Set(['churn_risk', 'expansion']);
if (modelPath) {
  const model = JSON.parse(readFileSync(modelPath, 'utf8'));
  for (const feature of model.encoding.features)
    if (feature.type === 'numeric') numeric.add(feature.name);
}
// The header: the first record of an RFC 4180 file.
const text = readFileSync(csvPath, 'utf8');
const names = [];
let field = '', quoted = false, i = 0;
for (; i < text.length; i++) {
  const c = text[i];
  if (quoted) {
    if (c === '"' && text[i + 1] === '"') { field += '"'; i++; }
    else if (c === '"') quoted = false;
    else field += c;
  } else if (c === '"') quoted = true;
  else if (c === ',') { names.push(field); field = ''; }
  else if (c === '\n' || c === '\r') break;
  else field += c;
}
names.push(field);
const quote = (name) => '"' + name.replaceAll('"', '""') + '"';
const type = (name) => (numeric.has(name) ? 'DOUBLE PRECISION' : name === 'health' ? 'INTEGER' : 'TEXT');
console.log(`CREATE TABLE ${table} (${names.map((name) => `${quote(name)} ${type(name)}`).join(', ')});`);
