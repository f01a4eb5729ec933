// The two warnings above the numbers: a partial sync touched this account, or a source is down and data is stale.
import { Alert, Text } from "@hubspot/ui-extensions";
import type { LinkedCard } from "../api/types";
import { type Formatters, sourceName } from "../format/formatters";

export function Banners({ banners, format }: { banners: LinkedCard["banners"]; format: Formatters }) {
  const { partialSync, stale } = banners;
  return (
    <>
      {partialSync && (
        <Alert title="Numbers may be incomplete" variant="warning" testId="partial-sync-banner">
          {partialSync.message}
          {partialSync.missed.length > 0 && <Text>Missed: {partialSync.missed.join(", ")}</Text>}
        </Alert>
      )}
      {stale && (
        <Alert title="Showing the last good data" variant="warning" testId="stale-banner">
          {stale.message}
          <Text>
            Down: {stale.sources.map(sourceName).join(", ")}
            {stale.lastGoodAt ? `; last good data from ${format.instant(stale.lastGoodAt)}` : ""}
          </Text>
        </Alert>
      )}
    </>
  );
}
