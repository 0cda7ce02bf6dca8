// smooth_edges.mjs MODEL.json IN.csv FIRST: print IN.csv with the cells of
// the model's smooth columns set, on consecutive data rows from row FIRST
// (1 is the first row after the header), to the values where a basis is
// easiest to get wrong: each knot exactly, the doubles either side of it
// (+-1e-12 around a knot of 0, where a neighbour would be subnormal), and
// values far beyond the end knots, where the spline is a straight line
// (1e6 knot ranges out, +-1e15, +-1e100).  Each smooth column gets rows of
// its own; every other cell is left as it is.  A ti pair's margins have
// knots of their own: each margin's column gets such rows too, and then
// rows with both columns set, one for each two of their knots and the
// doubles either side (the product of the two margins at every corner).
// The values are written as JavaScript writes a double: the shortest text
// that reads back as it.
// IN.csv must be a plain generated file (no quoted fields).
import { readFileSync } from 'node:fs';

const [modelPath, csvPath, firstText] = process.argv.slice(2);
const model = JSON.parse(readFileSync(modelPath, 'utf8'));
const lines = readFileSync(csvPath, 'utf8').split('\n');
const header = lines[0].split(',');

function nextUp(x) {
  if (x === 0) return Number.MIN_VALUE;
  const bits = new BigInt64Array(new Float64Array([x]).buffer);
  bits[0] += x > 0 ? 1n : -1n;
  return new Float64Array(bits.buffer)[0];
}
const nextDown = (x) => -nextUp(-x);

// Each knot, and the doubles either side of it.
const nearKnots = (knots) =>
  knots.flatMap((knot) => [knot, knot === 0 ? -1e-12 : nextDown(knot), knot === 0 ? 1e-12 : nextUp(knot)]);
function edges(knots) {
  const low = knots[0], high = knots[knots.length - 1], range = high - low;
  return [...nearKnots(knots), low - 1e6 * range, high + 1e6 * range, -1e15, 1e15, -1e100, 1e100];
}
function columnOf(name) {
  const column = header.indexOf(name);
  if (column < 0) throw new Error(`no column ${name}`);
  return column;
}

let row = Number(firstText);
// Sets the cells (column -> value) of the next row.
function setRow(values) {
  if (row >= lines.length - 1 || lines[row] === '') throw new Error('too few rows for the edge values');
  const cells = lines[row].split(',');
  for (const [column, value] of values) cells[column] = String(value);
  lines[row++] = cells.join(',');
}

for (const feature of model.encoding.features) {
  if (!feature.smooth) continue;
  const column = columnOf(feature.name);
  for (const value of edges(feature.smooth.knots)) setRow([[column, value]]);
}
for (const pair of model.encoding.interactions ?? []) {
  if (!pair.tensor) continue;
  const [a, b] = pair.columns.map(columnOf);
  const [knotsA, knotsB] = pair.tensor.margins.map((margin) => margin.knots);
  for (const value of edges(knotsA)) setRow([[a, value]]);
  for (const value of edges(knotsB)) setRow([[b, value]]);
  for (const valueA of nearKnots(knotsA))
    for (const valueB of nearKnots(knotsB)) setRow([[a, valueA], [b, valueB]]);
}
process.stdout.write(lines.join('\n'));
