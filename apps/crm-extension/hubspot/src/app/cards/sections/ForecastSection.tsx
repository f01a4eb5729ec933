// Usage projected to quarter end, with its band, the committed volume and how far past forecasts were off.
import {
  Flex,
  Heading,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
  Tag,
  Text,
} from "@hubspot/ui-extensions";
import type { UsageForecast } from "../api/types";
import type { Formatters } from "../format/formatters";

export function ForecastSection({ forecast, format }: { forecast: UsageForecast[]; format: Formatters }) {
  if (forecast.length === 0) return null;
  return (
    <Flex direction="column" gap="sm">
      <Heading>Forecast to quarter end</Heading>
      <Table bordered={false} testId="forecast-table">
        <TableHead>
          <TableRow>
            <TableHeader>Metric</TableHeader>
            <TableHeader>To date</TableHeader>
            <TableHeader>Projected</TableHeader>
            <TableHeader>Committed</TableHeader>
            <TableHeader>Backtest error</TableHeader>
          </TableRow>
        </TableHead>
        <TableBody>
          {forecast.map((row) => (
            <TableRow key={`${row.metric}-${row.quarter}`}>
              <TableCell>
                {row.metric} ({row.quarter})
              </TableCell>
              <TableCell>{format.quantity(row.toDate, row.unit)}</TableCell>
              <TableCell>
                {format.quantity(row.projectedTotal, row.unit)}
                <Text variant="microcopy">
                  band {format.quantity(row.band.low)} to {format.quantity(row.band.high)}
                </Text>
              </TableCell>
              <TableCell>{row.committed === null ? "none" : format.quantity(row.committed, row.unit)}</TableCell>
              <TableCell>
                {row.mapePercent === null ? "no backtest yet" : `${row.mapePercent.toFixed(1)}% MAPE`}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {forecast.flatMap((row) =>
        row.alerts.map((alert) => (
          <Tag key={`${row.metric}-${alert}`} variant="warning">
            {row.metric}: {alert}
          </Tag>
        )),
      )}
    </Flex>
  );
}
