// DuckDB scoring the same model as SQL over read_csv, for bench/run.sh: the
// quickest alternative a data team has for batch scoring.
// usage: node peer_duckdb.mjs MODEL.json DATA.csv OUT.csv
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { DuckDBInstance } = require('./node/node_modules/@duckdb/node-api');

const [modelPath, dataPath, outPath] = process.argv.slice(2);
const model = JSON.parse(readFileSync(modelPath, 'utf8'));
const quoteName = (name) => '"' + name.replaceAll('"', '""') + '"';
const quoteText = (text) => "'" + text.replaceAll("'", "''") + "'";

// The linear predictor of one target: the model's encoding written out.
function linearPredictor(target) {
  const estimate = new Map(target.terms.filter((t) => !t.aliased).map((t) => [t.term, t.estimate]));
  const parts = [String(estimate.get('(Intercept)'))];
  for (const feature of model.encoding.features) {
    const column = quoteName(feature.name);
    const missing = estimate.get(feature.name + '_missing');
    if (feature.type === 'numeric') {
      if (estimate.has(feature.name)) parts.push(`${estimate.get(feature.name)} * coalesce(${column}, ${feature.impute})`);
    } else {
      const cases = feature.levels.slice(1)
        .filter((level) => estimate.has(feature.name + level))
        .map((level) => `WHEN ${column} = ${quoteText(level)} THEN ${estimate.get(feature.name + level)}`);
      if (cases.length) parts.push(`(CASE ${cases.join(' ')} ELSE 0 END)`);
    }
    if (feature.missing_term && missing !== undefined) parts.push(`(CASE WHEN ${column} IS NULL THEN ${missing} ELSE 0 END)`);
  }
  return parts.join(' + ');
}

const probability = (target) => `1 / (1 + exp(-(${linearPredictor(target)})))`;
const churn = model.targets.find((t) => t.name === 'churn');
const expansion = model.targets.find((t) => t.name === 'expansion');
const id = model.id_column ? quoteName(model.id_column) : 'NULL';
const sql = `
  COPY (
    WITH scored AS (
      SELECT ${id} AS id, ${probability(churn)} AS churn_risk
        ${expansion ? `, ${probability(expansion)} AS expansion` : ''}
      FROM read_csv(${quoteText(dataPath)}, header = true)
    )
    SELECT id AS ${id}, churn_risk ${expansion ? ', expansion' : ''},
           CAST(round(100 * (1 - churn_risk)) AS INTEGER) AS health,
           CASE WHEN round(100 * (1 - churn_risk)) < ${model.bands.red_below} THEN 'red'
                WHEN round(100 * (1 - churn_risk)) < ${model.bands.yellow_below} THEN 'yellow'
                ELSE 'green' END AS bucket
    FROM scored
  ) TO ${quoteText(outPath)} (HEADER, DELIMITER ',')`;

const instance = await DuckDBInstance.create(':memory:');
const connection = await instance.connect();
await connection.run(sql);
