// Exports: CSV and PDF renderers of what the verbs return; pure functions of their input, no database or auth.

export {
  type CsvColumn,
  type CsvStreamOptions,
  type CsvValue,
  csvField,
  csvLine,
  csvLines,
  csvStream,
  minorToMajor,
  neutraliseFormula,
} from "./csv";
export {
  type AccountForecastDetail,
  type AccountForecastJson,
  type AccountForecastPdfInput,
  type AccountRevenueForecastJson,
  type MetricForecastJson,
  renderAccountForecastPdf,
} from "./pdf/accountForecast";
export type { PdfRenderOptions } from "./pdf/document";
export { formatMoneyCode, type Json } from "./pdf/format";
export {
  describePortfolioFilters,
  type PortfolioFilters,
  type PortfolioSummaryPdfInput,
  renderPortfolioSummaryPdf,
} from "./pdf/portfolioSummary";
export * from "./verbs";
