import { describe, expect, it, vi } from 'vitest';
import { chartModelOf } from '../../local-lab/run/chart-data.js';
import { renderReport } from '../../local-lab/run/report-html.js';
import { sampleChartInput, sampleSummary } from '../helpers/lab-run-sample.js';

vi.mock('../../console/bundle.js', async (original) => ({
  ...(await original<typeof import('../../console/bundle.js')>()),
  webBundle: () => Promise.reject(new Error('Could not resolve "uplot"')),
}));

describe('report.html when the charts script cannot be built', () => {
  it('still holds the verdict and the tables, and says why the charts are missing', async () => {
    const summary = sampleSummary();

    const html = await renderReport({ summary, chart: chartModelOf(sampleChartInput(summary)) });

    expect(html).toContain(`<span>${summary.verdict.verdict}</span>`);
    expect(html).toContain('<h2>Scaling activities</h2>');
    expect(html).toContain('The charts could not be built: Could not resolve &#34;uplot&#34;');
    expect(html).not.toContain('id="charts"');
  });
});
