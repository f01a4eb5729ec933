// Usage per metric: month to date, and the last 12 months as a trend chart.
import { Flex, Heading, LineChart, Statistics, StatisticsItem, Text } from "@hubspot/ui-extensions";
import type { UsageMetric } from "../api/types";
import type { Formatters } from "../format/formatters";

export function UsageSection({ usage, format }: { usage: UsageMetric[]; format: Formatters }) {
  return (
    <Flex direction="column" gap="sm">
      <Heading>Usage</Heading>
      {usage.length === 0 ? (
        <Text>No usage recorded for this account.</Text>
      ) : (
        <>
          <Statistics>
            {usage.map((metric) => (
              <StatisticsItem
                key={metric.metric}
                label={`${metric.metric}, month to date`}
                number={format.quantity(metric.monthToDate, metric.unit)}
                testId={`usage-${metric.metric}`}
              />
            ))}
          </Statistics>
          {usage.map((metric) => (
            <UsageTrend key={metric.metric} metric={metric} />
          ))}
        </>
      )}
    </Flex>
  );
}

function UsageTrend({ metric }: { metric: UsageMetric }) {
  // Quantities are decimal strings; a chart point only needs to be drawn, not counted, so a number is exact enough.
  const points = metric.months.map((month) => ({ period: month.period, quantity: Number(month.quantity) }));
  return (
    <LineChart
      data={points}
      axes={{
        x: { field: "period", fieldType: "category", label: "Month" },
        y: { field: "quantity", fieldType: "linear", label: metric.unit },
      }}
      options={{ title: `${metric.metric}, last 12 months`, showTooltips: true }}
      testId={`usage-trend-${metric.metric}`}
    />
  );
}
