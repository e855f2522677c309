import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chartSeries } from './bench-report.mjs';
import { decadeTicks, escapeXml, renderLatencyChart } from './svg-chart.mjs';

/** Well-formedness of the subset the renderer writes: balanced tags, quoted attributes, no stray `<` or `&`. */
function assertWellFormed(xml) {
  const stack = [];
  const tag = /<(\/?)([a-zA-Z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>|<\?[^>]*\?>/g;
  let at = 0;
  for (const match of xml.matchAll(tag)) {
    const text = xml.slice(at, match.index);
    assert.doesNotMatch(text, /[<>]|&(?!(amp|lt|gt|quot|#39);)/, `stray markup in "${text}"`);
    at = match.index + match[0].length;
    const [, closing, name, , selfClosing] = match;
    if (!name) continue;
    if (closing) assert.equal(stack.pop(), name, `</${name}> closes the wrong element`);
    else if (!selfClosing) stack.push(name);
  }
  assert.equal(xml.slice(at).trim(), '');
  assert.deepEqual(stack, [], 'unclosed elements');
}

const series = [
  {
    name: 'balance',
    points: [
      { connections: 1, p50: 2, p99: 5 },
      { connections: 16, p50: 8, p99: 30 },
      { connections: 64, p50: 20, p99: 80 },
    ],
  },
  {
    name: 'hello <"&">',
    points: [
      { connections: 1, p50: 0.05, p99: 0.3 },
      { connections: 64, p50: 0.4, p99: null },
    ],
  },
  { name: 'spend', points: [{ connections: 16, p50: 40, p99: 1200 }] },
];

describe('renderLatencyChart', () => {
  const svg = renderLatencyChart({ title: 'Latency & load', series });

  it('is well-formed XML with the SVG namespace', () => {
    assertWellFormed(svg);
    assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.match(svg, /<title>Latency &amp; load<\/title>/);
  });

  it('labels both axes and ticks each load level and each decade', () => {
    assert.match(svg, /class="x-axis"/);
    assert.match(svg, /class="y-axis"/);
    assert.match(svg, /class="x-label"[^>]*>load: concurrent connections/);
    assert.match(svg, /class="y-label"[^>]*>latency, ms/);
    for (const label of [
      '>1<',
      '>16<',
      '>64<',
      '>0.01<',
      '>0.1<',
      '>10<',
      '>100<',
      '>1000<',
      '>10000<',
    ]) {
      assert.ok(svg.includes(label), `tick ${label}`);
    }
  });

  it('draws one series per scenario, p99 and p50 lines, and a legend entry each', () => {
    const groups = [...svg.matchAll(/<g class="series" data-scenario="([^"]*)"/g)].map((m) => m[1]);
    assert.deepEqual(groups, ['balance', 'hello &lt;&quot;&amp;&quot;&gt;', 'spend']);
    assert.equal((svg.match(/<polyline class="p99"/g) ?? []).length, 3);
    assert.equal((svg.match(/<polyline class="p50"/g) ?? []).length, 3);
    assert.ok(svg.includes('>spend</text>'));
  });

  it('skips points without a latency', () => {
    const hello = svg.split('data-scenario="hello')[1].split('</g>')[0];
    assert.equal((hello.match(/<circle/g) ?? []).length, 3);
  });

  it('renders an empty chart without failing', () => {
    assertWellFormed(renderLatencyChart({ title: 'none', series: [] }));
  });
});

describe('helpers', () => {
  it('spans the values with powers of ten', () => {
    assert.deepEqual(decadeTicks([0.3, 45]), [0.1, 1, 10, 100]);
    assert.deepEqual(decadeTicks([10]), [10, 100]);
    assert.deepEqual(decadeTicks([null, 0]), [1, 10]);
  });

  it('escapes XML', () => {
    assert.equal(escapeXml(`<a b="c">&'`), '&lt;a b=&quot;c&quot;&gt;&amp;&#39;');
  });

  it('makes one series per scenario measured, in scenario order', () => {
    const made = chartSeries([
      { scenario: 'spend', connections: 1, p50: 1, p99: 2 },
      { scenario: 'hello', connections: 1, p50: 0.1, p99: 0.2 },
      { scenario: 'spend', connections: 16, p50: 3, p99: 4 },
    ]);
    assert.deepEqual(
      made.map((s) => [s.name, s.points.length]),
      [
        ['hello', 1],
        ['spend', 2],
      ],
    );
  });
});
