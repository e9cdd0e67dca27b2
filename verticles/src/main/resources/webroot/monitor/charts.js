// The two small charts of the queue's last 15 minutes, drawn with uPlot (a WebJar, loaded before this module).

const AXIS = '#8b9ab3';
const GRID = '#1f2a40';
const HEIGHT = 150;
const TICKS_SECONDS = [5, 10, 15, 30, 60, 120, 300, 600, 900];
const hhmmss = t => new Date(t * 1000).toLocaleTimeString([], { hour12: false, hour: '2-digit', minute: '2-digit', second: '2-digit' });
const hhmm = t => new Date(t * 1000).toLocaleTimeString([], { hour12: false, hour: '2-digit', minute: '2-digit' });

function chart(target, series) {
  if (!window.uPlot) {
    target.textContent = 'charts unavailable: uPlot did not load';
    return null;
  }
  const axis = { stroke: AXIS, grid: { stroke: GRID, width: 1 }, ticks: { stroke: GRID, width: 1 }, font: '11px system-ui, sans-serif' };
  const options = {
    width: Math.max(200, target.clientWidth),
    height: HEIGHT,
    cursor: { drag: { x: false, y: false } },
    legend: { live: false },
    scales: { x: { time: true }, y: { range: (u, min, max) => [0, Math.max(1, Math.ceil(max * 1.1))] } },
    axes: [
      { ...axis, space: 70, incrs: TICKS_SECONDS, values: (u, ticks, i, space, step) => ticks.map(step >= 60 ? hhmm : hhmmss) },
      { ...axis, size: 48 },
    ],
    series: [{}, ...series.map(s => ({
      label: s.label, stroke: s.color, width: 2, fill: s.color + '22', points: { show: false }, spanGaps: false,
      value: (u, v) => v === null || v === undefined ? '–' : (Number.isInteger(v) ? v : v.toFixed(2)),
    }))],
  };
  const plot = new window.uPlot(options, [[], ...series.map(() => [])], target);
  new ResizeObserver(() => plot.setSize({ width: Math.max(200, target.clientWidth), height: HEIGHT })).observe(target);
  return plot;
}

export function createCharts() {
  const throughput = chart(document.getElementById('chart-throughput'), [
    { label: 'started/s', color: '#3b82f6' },
    { label: 'finished/s', color: '#22c55e' },
  ]);
  const depth = chart(document.getElementById('chart-depth'), [
    { label: 'ready', color: '#f59e0b' },
    { label: 'running', color: '#3b82f6' },
    { label: 'waiting', color: '#94a3b8' },
  ]);
  return {
    draw(history) {
      const t = history.map(p => p.t);
      if (throughput) throughput.setData([t, history.map(p => p.started), history.map(p => p.finished)]);
      if (depth) depth.setData([t, history.map(p => p.ready), history.map(p => p.running), history.map(p => p.waiting)]);
    },
  };
}
