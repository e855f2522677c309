import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { codeSeries, metricNamesOf, unknownMetrics } from './metrics.mjs';
import {
  checkPromQL,
  dashboardExpressionsOf,
  promqlProblems,
  ruleExpressionsOf,
  withoutGrafanaVariables,
} from './promql.mjs';

describe('checkPromQL', () => {
  it('passes valid expressions', () => {
    for (const expr of [
      'rate(foo[5m])',
      'sum by (service) (rate(http_requests_total{status=~"5.."}[5m])) / sum by (service) (rate(http_requests_total[5m])) > 0.05',
      'histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket[5m]))) > 1',
      'max_over_time(rate(x[1m])[30m:1m]) offset 1h',
      'quantile_over_time(0.9, x[5m])',
      'absent(up{job="gateway"} == 1)',
    ]) {
      assert.deepEqual(checkPromQL(expr), [], expr);
    }
  });

  it('reports syntax errors with their position', () => {
    assert.deepEqual(checkPromQL('rate(foo[5m]'), [
      'syntax error at line 1 column 13, near "rate(foo[5m]"',
    ]);
    assert.match(checkPromQL('sum by (le (x)').join(), /syntax error at line 1 column 12/);
    assert.match(checkPromQL('sum(rate(x[5m]))\n  > bool bool 1').join(), /line 2/);
    assert.notDeepEqual(checkPromQL('rat(foo[5m])'), [], 'unknown function');
    assert.deepEqual(checkPromQL(''), ['empty expression']);
  });

  it('reports range and instant vectors in the wrong place', () => {
    assert.match(checkPromQL('rate(foo)').join(), /rate\(\) needs a range vector/);
    assert.match(checkPromQL('sum(foo[5m])').join(), /range vector is only allowed/);
  });
});

describe('Grafana queries', () => {
  it('replaces variables with something PromQL parses', () => {
    assert.equal(
      withoutGrafanaVariables(
        'sum(rate(x{job=~"$job",ns="${namespace:regex}"}[$__rate_interval])) > [[min]]',
      ),
      'sum(rate(x{job=~"grafana_variable",ns="grafana_variable"}[5m])) > grafana_variable',
    );
    assert.equal(withoutGrafanaVariables('increase(x[${__range}])'), 'increase(x[5m])');
    assert.equal(
      withoutGrafanaVariables('label_replace(up, "a", "$1", "b", "(.*)")'),
      'label_replace(up, "a", "$1", "b", "(.*)")',
    );
  });

  it('collects the targets of panels, rows included, and reports the broken ones', () => {
    const dashboard = {
      panels: [
        { title: 'Requests', targets: [{ refId: 'A', expr: 'sum(rate(x[$__rate_interval]))' }] },
        {
          type: 'row',
          title: 'Points',
          panels: [{ title: 'Spends', targets: [{ refId: 'B', expr: 'sum(rate(y[5m])' }] }],
        },
      ],
    };
    assert.equal(dashboardExpressionsOf(dashboard).length, 2);
    assert.deepEqual(promqlProblems({ dashboard }), [
      'panel "Spends" target B: syntax error at line 1 column 16, near "sum(rate(y[5m])"',
    ]);
  });
});

describe('PrometheusRule expressions', () => {
  it('collects every rule and reports the broken ones', () => {
    const objects = [
      {
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'PrometheusRule',
        metadata: { name: 'member-system' },
        spec: {
          groups: [
            {
              name: 'availability',
              rules: [
                { alert: 'TargetDown', expr: 'up == 0', for: '5m' },
                { record: 'job:errors:rate5m', expr: 'sum by (job) (rate(errors_total[5m]))' },
                { alert: 'Broken', expr: 'sum by (le (x)' },
              ],
            },
          ],
        },
      },
    ];
    assert.equal(ruleExpressionsOf(objects).length, 3);
    assert.deepEqual(
      promqlProblems({ objects }).map((problem) => problem.split(':')[0]),
      ['PrometheusRule/member-system group availability rule Broken'],
    );
  });
});

describe('metric names', () => {
  const known = new Set(['ms_outbox_unpublished', 'member_api_response_seconds_bucket']);

  it('are read from selectors, __name__ matchers included', () => {
    assert.deepEqual(
      metricNamesOf('sum(rate({__name__="a_total"}[5m])) / on() b{x="1"} + count(ALERTS)'),
      ['a_total', 'b', 'ALERTS'],
    );
  });

  it("are checked against the code's metrics and the external ones", () => {
    assert.deepEqual(unknownMetrics('max(ms_outbox_unpublished) > 0 or up == 0', known), []);
    assert.deepEqual(unknownMetrics('rate(process_cpu_seconds_total[5m])', known), []);
    assert.deepEqual(unknownMetrics('max(ms_outbox_unpublishd) > 0', known), [
      'ms_outbox_unpublishd',
    ]);
    assert.deepEqual(
      promqlProblems({
        knownSeries: known,
        objects: [
          {
            kind: 'PrometheusRule',
            metadata: { name: 'r' },
            spec: { groups: [{ name: 'g', rules: [{ alert: 'A', expr: 'ms_outbx > 1' }] }] },
          },
        ],
      }),
      ['PrometheusRule/r group g rule A: unknown metric "ms_outbx" (no code registers it)'],
    );
  });

  it('include every metric the code registers, with histogram series', () => {
    const series = codeSeries();
    assert.ok(series.has('ms_outbox_oldest_unpublished_age_seconds'));
    assert.ok(series.has('member_api_response_seconds_bucket'));
    assert.ok(!series.has('member_api_response_seconds'));
  });
});
