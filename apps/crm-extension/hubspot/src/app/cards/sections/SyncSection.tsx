// When each source last synced for this account, and which need reconnecting.
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
} from "@hubspot/ui-extensions";
import type { LastSync } from "../api/types";
import { type Formatters, humanize, sourceName } from "../format/formatters";

export function SyncSection({ lastSync, format }: { lastSync: LastSync[]; format: Formatters }) {
  if (lastSync.length === 0) return null;
  return (
    <Flex direction="column" gap="sm">
      <Heading>Last sync</Heading>
      <Table bordered={false} density="condensed" testId="sync-table">
        <TableHead>
          <TableRow>
            <TableHeader>Source</TableHeader>
            <TableHeader>Result</TableHeader>
            <TableHeader>Finished</TableHeader>
          </TableRow>
        </TableHead>
        <TableBody>
          {lastSync.map((sync) => (
            <TableRow key={sync.source}>
              <TableCell>{sourceName(sync.source)}</TableCell>
              <TableCell>
                {sync.status ? humanize(sync.status) : "never ran"}
                {sync.needsReconnect && <Tag variant="error">Reconnect needed</Tag>}
              </TableCell>
              <TableCell>{sync.finishedAt ? format.instant(sync.finishedAt) : "not finished"}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Flex>
  );
}
