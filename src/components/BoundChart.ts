// Line charts with logarithmic axes, for quantities that span decades over t or T: the bound's
// terms L_1 … L_T, L_T against the chain length, the weight λ_t. charts.ts's LineChart with both
// axes logarithmic unless told otherwise.
import {LineChart, type LineChartOptions, type Series} from "./charts.js";

export type LogSeries = Series;
export type LogChartOptions = LineChartOptions;

/** Lines y(x) on log axes (or linear, per axis); values a log axis cannot show (≤ 0) are left out. */
export function LogChart(series: LogSeries[], options: LogChartOptions = {}): SVGSVGElement {
  return LineChart(series, {xType: "log", yType: "log", height: 260, ...options});
}
