/// <reference lib="dom" />
/**
 * report.html's script: the chart model the page carries as JSON (`#chart-model`), drawn into
 * `#charts` with the same charts as the live console.
 */
import type { ChartModel } from '../model/chart-model.js';
import { mountCharts } from './charts.js';

function readModel(): ChartModel {
  const text = document.getElementById('chart-model')?.textContent;
  if (!text) throw new Error('report.html carries no chart model (#chart-model)');
  return JSON.parse(text) as ChartModel;
}

const container = document.getElementById('charts');
if (!container) throw new Error('report.html has no #charts element to draw into');
mountCharts(container, readModel());
