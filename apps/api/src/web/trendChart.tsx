// A usage trend as server-rendered inline SVG: one bar per month with value and month axes, no script, no library.
/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { currentLocale, formatPeriod, formatQuantity } from "./format";

const width = 560;
const height = 220;
const margin = { top: 14, right: 12, bottom: 40, left: 60 };

/** The smallest 1, 2 or 5 x 10^k at or above `value`, so the axis reads in round numbers. */
export function niceCeiling(value: number): number {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

const compact = () => new Intl.NumberFormat(currentLocale(), { notation: "compact", maximumFractionDigits: 1 });

export interface TrendChartProps {
  metric: string;
  unit: string;
  months: Array<{ period: string; quantity: string }>;
  /** The month in progress ("YYYY-MM"): its bar is drawn lighter and labelled "to date". */
  currentPeriod?: string;
}

export function TrendChart(props: TrendChartProps) {
  const months = props.months.slice(-13);
  const id = `chart-${props.metric.replace(/[^a-zA-Z0-9_-]/g, "_")}`;
  if (months.length === 0) return <p class="muted">No usage recorded in the last 13 months.</p>;

  // Geometry only: quantities become numbers for pixel positions; every label shows the exact decimal text.
  const values = months.map((m) => Math.max(0, Number(m.quantity)));
  const top = niceCeiling(Math.max(...values));
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;
  const slot = plotWidth / months.length;
  const barWidth = Math.max(4, Math.min(36, slot * 0.7));
  const y = (v: number) => margin.top + plotHeight - (v / top) * plotHeight;
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => f * top);
  const first = months[0];
  const last = months.at(-1);
  const summary =
    first && last
      ? `${formatQuantity(first.quantity)} ${props.unit} in ${formatPeriod(first.period)} to ${formatQuantity(last.quantity)} ${props.unit} in ${formatPeriod(last.period)}${last.period === props.currentPeriod ? " (month to date)" : ""}.`
      : "";

  return (
    <svg
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-labelledby={`${id}-title ${id}-desc`}
      class="trend"
      data-metric={props.metric}
    >
      <title id={`${id}-title`}>{`Monthly ${props.metric} (${props.unit})`}</title>
      <desc id={`${id}-desc`}>{summary}</desc>
      {ticks.map((t) => (
        <g>
          <line
            x1={margin.left}
            x2={width - margin.right}
            y1={y(t)}
            y2={y(t)}
            stroke={t === 0 ? "#4d5566" : "#d5d9e2"}
            stroke-width="1"
          />
          <text x={margin.left - 6} y={y(t) + 4} text-anchor="end" font-size="11" fill="#4d5566">
            {compact().format(t)}
          </text>
        </g>
      ))}
      <text
        x={14}
        y={margin.top + plotHeight / 2}
        font-size="11"
        fill="#4d5566"
        text-anchor="middle"
        transform={`rotate(-90 14 ${margin.top + plotHeight / 2})`}
      >
        {props.unit}
      </text>
      {months.map((m, i) => {
        const value = values[i] ?? 0;
        const x = margin.left + slot * i + (slot - barWidth) / 2;
        const inProgress = m.period === props.currentPeriod;
        const label = formatPeriod(m.period);
        const showYear = i === 0 || m.period.endsWith("-01");
        return (
          <g>
            <rect
              x={x}
              y={y(value)}
              width={barWidth}
              height={Math.max(0, margin.top + plotHeight - y(value))}
              fill={inProgress ? "#9db3ee" : "#1f4fd1"}
            >
              <title>{`${label}: ${formatQuantity(m.quantity)} ${props.unit}${inProgress ? " (to date)" : ""}`}</title>
            </rect>
            <text
              x={x + barWidth / 2}
              y={height - margin.bottom + 14}
              text-anchor="middle"
              font-size="10"
              fill="#1d2433"
            >
              {label.slice(0, 3)}
            </text>
            {showYear || inProgress ? (
              <text
                x={x + barWidth / 2}
                y={height - margin.bottom + 27}
                text-anchor="middle"
                font-size="9"
                fill="#4d5566"
              >
                {inProgress ? "to date" : m.period.slice(0, 4)}
              </text>
            ) : null}
          </g>
        );
      })}
    </svg>
  );
}
