// A line chart of latency against load in plain SVG (no chart library): x = connections (log 2),
// y = milliseconds (log 10, as latencies run from well under 1 ms to seconds), one colour per
// scenario, p99 a solid line and p50 a dashed one.

const WIDTH = 960;
const HEIGHT = 560;
const PLOT = Object.freeze({ left: 80, top: 50, right: 700, bottom: 490 });
/** Distinct on white and for the common colour-vision deficiencies (Okabe–Ito, then Tableau). */
const COLOURS = Object.freeze([
  '#0072B2',
  '#E69F00',
  '#009E73',
  '#D55E00',
  '#CC79A7',
  '#56B4E9',
  '#000000',
  '#8C564B',
  '#7F7F7F',
  '#BCBD22',
  '#17BECF',
  '#9467BD',
]);

/** Text for XML content or an attribute value. */
export function escapeXml(text) {
  return String(text)
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

const round = (value) => Math.round(value * 10) / 10;

/** Powers of ten from below the smallest to above the largest value (at least two). */
export function decadeTicks(values) {
  const positive = values.filter((v) => Number.isFinite(v) && v > 0);
  if (positive.length === 0) return [1, 10];
  const low = Math.floor(Math.log10(Math.min(...positive)));
  let high = Math.ceil(Math.log10(Math.max(...positive)));
  if (high === low) high += 1;
  return Array.from({ length: high - low + 1 }, (_, i) => 10 ** (low + i));
}

const tickLabel = (ms) => (ms >= 1 ? String(ms) : String(Number(ms.toPrecision(1))));

/**
 * The chart: `series` = `[{ name, points: [{ connections, p50, p99 }] }]`. Points without a
 * latency are skipped. Returns the SVG document as a string.
 */
export function renderLatencyChart({ title, series }) {
  const all = series.flatMap((s) => s.points);
  const xs = [...new Set(all.map((p) => p.connections))].sort((a, b) => a - b);
  const ys = decadeTicks(all.flatMap((p) => [p.p50, p.p99]));
  const [xMin, xMax] = [Math.log2(xs[0] ?? 1), Math.log2(xs.at(-1) ?? 2)];
  const [yMin, yMax] = [Math.log10(ys[0]), Math.log10(ys.at(-1))];
  const xOf = (connections) =>
    xMax === xMin
      ? (PLOT.left + PLOT.right) / 2
      : PLOT.left + ((Math.log2(connections) - xMin) / (xMax - xMin)) * (PLOT.right - PLOT.left);
  const yOf = (ms) =>
    PLOT.bottom - ((Math.log10(ms) - yMin) / (yMax - yMin)) * (PLOT.bottom - PLOT.top);

  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    `<text x="${WIDTH / 2}" y="24" text-anchor="middle" font-size="16" font-weight="bold">${escapeXml(title)}</text>`,
  ];
  // Grid and axes.
  out.push('<g class="axes" stroke="#cccccc">');
  for (const y of ys) {
    out.push(
      `<line x1="${PLOT.left}" y1="${round(yOf(y))}" x2="${PLOT.right}" y2="${round(yOf(y))}"/>`,
    );
  }
  for (const x of xs) {
    out.push(
      `<line x1="${round(xOf(x))}" y1="${PLOT.top}" x2="${round(xOf(x))}" y2="${PLOT.bottom}"/>`,
    );
  }
  out.push(
    `<line class="x-axis" x1="${PLOT.left}" y1="${PLOT.bottom}" x2="${PLOT.right}" y2="${PLOT.bottom}" stroke="#000000"/>`,
    `<line class="y-axis" x1="${PLOT.left}" y1="${PLOT.top}" x2="${PLOT.left}" y2="${PLOT.bottom}" stroke="#000000"/>`,
    '</g>',
    '<g class="tick-labels" fill="#000000">',
  );
  for (const y of ys) {
    out.push(
      `<text x="${PLOT.left - 8}" y="${round(yOf(y) + 4)}" text-anchor="end">${tickLabel(y)}</text>`,
    );
  }
  for (const x of xs) {
    out.push(`<text x="${round(xOf(x))}" y="${PLOT.bottom + 18}" text-anchor="middle">${x}</text>`);
  }
  out.push(
    '</g>',
    `<text class="x-label" x="${(PLOT.left + PLOT.right) / 2}" y="${PLOT.bottom + 42}" text-anchor="middle" font-size="14">load: concurrent connections (log scale)</text>`,
    `<text class="y-label" transform="translate(24 ${(PLOT.top + PLOT.bottom) / 2}) rotate(-90)" text-anchor="middle" font-size="14">latency, ms (log scale)</text>`,
  );

  // Series, then the legend (scenario names and the line styles).
  series.forEach((s, index) => {
    const colour = COLOURS[index % COLOURS.length];
    const sorted = [...s.points].sort((a, b) => a.connections - b.connections);
    out.push(`<g class="series" data-scenario="${escapeXml(s.name)}" stroke="${colour}">`);
    for (const [key, dash] of [
      ['p99', ''],
      ['p50', ' stroke-dasharray="6 4"'],
    ]) {
      const at = sorted.filter((p) => Number.isFinite(p[key]) && p[key] > 0);
      if (at.length === 0) continue;
      const path = at.map((p) => `${round(xOf(p.connections))},${round(yOf(p[key]))}`).join(' ');
      out.push(
        `<polyline class="${key}" points="${path}" fill="none" stroke-width="2"${dash}/>`,
        ...at.map(
          (p) =>
            `<circle cx="${round(xOf(p.connections))}" cy="${round(yOf(p[key]))}" r="3" fill="${colour}"><title>${escapeXml(`${s.name}, ${p.connections} connections: ${key} ${p[key]} ms`)}</title></circle>`,
        ),
      );
    }
    out.push('</g>');
  });
  const legendX = PLOT.right + 30;
  out.push('<g class="legend">');
  out.push(
    `<line x1="${legendX}" y1="${PLOT.top}" x2="${legendX + 24}" y2="${PLOT.top}" stroke="#000000" stroke-width="2"/>`,
    `<text x="${legendX + 32}" y="${PLOT.top + 4}">p99</text>`,
    `<line x1="${legendX + 80}" y1="${PLOT.top}" x2="${legendX + 104}" y2="${PLOT.top}" stroke="#000000" stroke-width="2" stroke-dasharray="6 4"/>`,
    `<text x="${legendX + 112}" y="${PLOT.top + 4}">p50</text>`,
  );
  series.forEach((s, index) => {
    const y = PLOT.top + 30 + index * 22;
    out.push(
      `<rect x="${legendX}" y="${y - 9}" width="24" height="12" fill="${COLOURS[index % COLOURS.length]}"/>`,
      `<text x="${legendX + 32}" y="${y + 2}">${escapeXml(s.name)}</text>`,
    );
  });
  out.push('</g>', '</svg>', '');
  return out.join('\n');
}
