// A company not yet linked to a Reckon account: the accounts that look like it, and Link for admins.
import {
  Button,
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
import type { UnlinkedCard } from "../api/types";

export interface UnlinkedSectionProps {
  card: UnlinkedCard;
  busy: boolean;
  onLink(accountId: string): void;
}

export function UnlinkedSection({ card, busy, onLink }: UnlinkedSectionProps) {
  return (
    <Flex direction="column" gap="sm">
      <Heading>Not linked to Reckon</Heading>
      <Text testId="unlinked-message">{card.message}</Text>
      {card.suggestions.length === 0 ? (
        <Text>Reckon found no account with this company's name or domain.</Text>
      ) : (
        <Table bordered={false} testId="suggestions-table">
          <TableHead>
            <TableRow>
              <TableHeader>Reckon account</TableHeader>
              <TableHeader>Matched on</TableHeader>
              {card.canLink && <TableHeader>Link</TableHeader>}
            </TableRow>
          </TableHead>
          <TableBody>
            {card.suggestions.map((suggestion) => (
              <TableRow key={suggestion.accountId}>
                <TableCell>{suggestion.name}</TableCell>
                <TableCell>
                  <Tag variant="info">{suggestion.matchedOn === "domain" ? "Domain" : "Name"}</Tag>
                </TableCell>
                {card.canLink && (
                  <TableCell>
                    <Button
                      size="sm"
                      variant="primary"
                      disabled={busy}
                      onClick={() => onLink(suggestion.accountId)}
                      testId={`link-${suggestion.accountId}`}
                    >
                      Link
                    </Button>
                  </TableCell>
                )}
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      {!card.canLink && (
        <Text variant="microcopy" testId="ask-an-admin">
          Only a Reckon admin can link this company: ask one to confirm the right account.
        </Text>
      )}
    </Flex>
  );
}
