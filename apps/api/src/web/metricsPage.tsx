// The portfolio's finance metrics as charts people would rather look at than read: receivables aging by bucket, DSO
// and CEI for the window, and MRR over the last 12 months with its movements. Server-rendered SVG, each chart with
// its numbers in a table beside it (screen readers and copy-paste read that).
/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { currencyExponent, currentLocale, formatMoney, formatPeriod } from "./format";
import { Layout } from "./layout";
import { niceCeiling } from "./trendChart";
import type { Viewer } from "./viewer";

const buckets = ["current", "1-30", "31-60", "61-90", "90+"] as const;
const bucketLabels: Record<(typeof buckets)[number], string> = {
  current: "Not yet due",
  "1-30": "1–30 days",
  "31-60": "31–60 days",
  "61-90": "61–90 days",
  "90+": "Over 90 days",
};

interface Aging {
  currency: string;
  buckets: Record<(typeof buckets)[number], string>;
  totalMinor: string;
  invoiceCount: number;
}
interface Ratio {
  ok: boolean;
  text: string;
  formula?: string;
}
interface MrrMonth {
  period: string;
  mrrMinor: string;
  activeAccounts: number;
}
interface MrrChange {
  startMinor: string;
  newMinor: string;
  expansionMinor: string;
  reactivationMinor: string;
  contractionMinor: string;
  churnMinor: string;
  endMinor: string;
}
interface BaseTotal {
  base: string;
  totalMinor: string;
  converted: boolean;
  label: string;
}
/** What getPortfolioMetrics answers, as far as this page reads it. */
export interface PortfolioMetricsView {
  asOf: string;
  window: { from: string; to: string };
  accounts: number;
  baseCurrency: string;
  /** In the base currency; `label` says when amounts were converted (and at which rates) or left out. */
  totals: { openReceivables: BaseTotal; mrr: BaseTotal };
  aging: { portfolio: Aging[] };
  receivables: Array<{ currency: string; dso: { standard: Ratio; countback: Ratio }; cei: Ratio }>;
  mrr: Array<{ currency: string; months: MrrMonth[]; total: MrrChange }>;
}

const width = 560;
const height = 220;
const margin = { top: 14, right: 12, bottom: 40, left: 72 };
const compact = (currency: string) =>
  new Intl.NumberFormat(currentLocale(), {
    style: "currency",
    currency,
    notation: "compact",
    maximumFractionDigits: 1,
  });

/** Vertical bars with a money axis; `tone` colours a bar ("bad" for the oldest receivables). */
function MoneyBars(props: {
  id: string;
  title: string;
  currency: string;
  bars: Array<{ label: string; minor: string; tone?: "bad" | "warn" }>;
}) {
  const exponent = 10 ** currencyExponent(props.currency);
  const values = props.bars.map((b) => Math.max(0, Number(b.minor) / exponent));
  const top = niceCeiling(Math.max(...values, 0));
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;
  const slot = plotWidth / Math.max(1, props.bars.length);
  const barWidth = Math.max(6, Math.min(48, slot * 0.65));
  const y = (v: number) => margin.top + plotHeight - (v / top) * plotHeight;
  const axis = compact(props.currency);
  return (
    <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby={`${props.id}-title`}>
      <title id={`${props.id}-title`}>{props.title}</title>
      {[0, 0.5, 1].map((f) => (
        <g>
          <line x1={margin.left} x2={width - margin.right} y1={y(f * top)} y2={y(f * top)} stroke="#d9dee7" />
          <text x={margin.left - 6} y={y(f * top) + 4} text-anchor="end" font-size="11" fill="#4d5566">
            {axis.format(f * top)}
          </text>
        </g>
      ))}
      {props.bars.map((bar, i) => {
        const value = values[i]!;
        const x = margin.left + i * slot + (slot - barWidth) / 2;
        return (
          <g>
            <rect
              x={x}
              y={y(value)}
              width={barWidth}
              height={Math.max(0, margin.top + plotHeight - y(value))}
              fill={bar.tone === "bad" ? "#b42318" : bar.tone === "warn" ? "#b54708" : "#1f4fd1"}
            >
              <title>{`${bar.label}: ${formatMoney({ minor: bar.minor, currency: props.currency })}`}</title>
            </rect>
            <text
              x={x + barWidth / 2}
              y={height - margin.bottom + 16}
              text-anchor="middle"
              font-size="11"
              fill="#4d5566"
            >
              {bar.label}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

export function MetricsView(props: { metrics: PortfolioMetricsView; viewer: Viewer | null }) {
  const m = props.metrics;
  return (
    <Layout title="Reckon — Finance metrics" viewer={props.viewer}>
      <p>
        <a href="/">← Portfolio</a>
      </p>
      <p class="muted">
        {m.accounts} accounts{props.viewer?.ownAccountsOnly ? " (your portfolio)" : ""}; DSO and CEI over{" "}
        {m.window.from} to {m.window.to}; MRR by month over the 12 months billed in full.
      </p>
      <div class="grid2">
        <section class="card" aria-labelledby="totals">
          <h2 id="totals">Totals</h2>
          <dl class="facts">
            {(
              [
                ["Open receivables", m.totals.openReceivables],
                ["MRR", m.totals.mrr],
              ] as const
            ).map(([label, total]) => (
              <>
                <dt>{label}</dt>
                <dd>
                  {formatMoney({ minor: total.totalMinor, currency: total.base })}{" "}
                  <span class="muted">({total.label})</span>
                </dd>
              </>
            ))}
          </dl>
        </section>
        <section class="card" aria-labelledby="collection">
          <h2 id="collection">Collection</h2>
          {m.receivables.length === 0 ? (
            <p class="muted">No invoices in the window.</p>
          ) : (
            <dl class="facts">
              {m.receivables.map((r) => (
                <>
                  <dt>DSO ({r.currency})</dt>
                  <dd title={r.dso.standard.formula}>
                    {r.dso.standard.text} (countback {r.dso.countback.text})
                  </dd>
                  <dt>CEI ({r.currency})</dt>
                  <dd title={r.cei.formula}>{r.cei.text}</dd>
                </>
              ))}
            </dl>
          )}
        </section>
      </div>

      <h2 id="aging">Receivables aging</h2>
      {m.aging.portfolio.length === 0 ? (
        <p class="muted">Nothing is owed: every invoice is paid.</p>
      ) : (
        <div class="grid2">
          {m.aging.portfolio.map((a) => (
            <section class="card chart" aria-label={`Aging in ${a.currency}`}>
              <h3>
                {a.currency}: {formatMoney({ minor: a.totalMinor, currency: a.currency })} over {a.invoiceCount}{" "}
                invoices
              </h3>
              <MoneyBars
                id={`aging-${a.currency}`}
                title={`Open receivables in ${a.currency} by days past due`}
                currency={a.currency}
                bars={buckets.map((b) => ({
                  label: bucketLabels[b],
                  minor: a.buckets[b],
                  ...(b === "90+" || b === "61-90"
                    ? { tone: "bad" as const }
                    : b === "31-60"
                      ? { tone: "warn" as const }
                      : {}),
                }))}
              />
              <table class="compact">
                <caption class="sr-only">Aging in {a.currency}</caption>
                <tbody>
                  {buckets.map((b) => (
                    <tr>
                      <th scope="row">{bucketLabels[b]}</th>
                      <td class="num">{formatMoney({ minor: a.buckets[b], currency: a.currency })}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          ))}
        </div>
      )}

      <h2 id="mrr">MRR</h2>
      {m.mrr.length === 0 ? (
        <p class="muted">No recurring revenue in the last 12 months.</p>
      ) : (
        m.mrr.map((report) => (
          <section class="card chart" aria-label={`MRR in ${report.currency}`}>
            <MoneyBars
              id={`mrr-${report.currency}`}
              title={`MRR in ${report.currency} by month`}
              currency={report.currency}
              bars={report.months.map((month) => ({
                label: formatPeriod(month.period).slice(0, 3),
                minor: month.mrrMinor,
              }))}
            />
            <table class="compact" id={`mrr-movements-${report.currency}`}>
              <caption>Movements over the 12 months ({report.currency})</caption>
              <tbody>
                {(
                  [
                    ["Start", report.total.startMinor],
                    ["New", report.total.newMinor],
                    ["Expansion", report.total.expansionMinor],
                    ["Reactivation", report.total.reactivationMinor],
                    ["Contraction", `-${report.total.contractionMinor}`.replace("--", "")],
                    ["Churn", `-${report.total.churnMinor}`.replace("--", "")],
                    ["End", report.total.endMinor],
                  ] as const
                ).map(([label, minor]) => (
                  <tr>
                    <th scope="row">{label}</th>
                    <td class={minor.startsWith("-") && minor !== "-0" ? "num red" : "num"}>
                      {formatMoney({ minor: minor === "-0" ? "0" : minor, currency: report.currency })}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        ))
      )}
    </Layout>
  );
}
