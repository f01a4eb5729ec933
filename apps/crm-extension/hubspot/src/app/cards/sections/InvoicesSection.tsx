// The account's latest invoices, overdue ones marked, with the overdue total.
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
import type { Invoice, Money } from "../api/types";
import type { Formatters } from "../format/formatters";

export function InvoicesSection(props: { invoices: Invoice[]; overdue: Money | null; format: Formatters }) {
  const { invoices, overdue, format } = props;
  return (
    <Flex direction="column" gap="sm">
      <Heading>Invoices</Heading>
      {overdue && (
        <Text format={{ fontWeight: "bold" }} testId="overdue-total">
          Overdue: {format.money(overdue)}
        </Text>
      )}
      {invoices.length === 0 ? (
        <Text>No invoices yet.</Text>
      ) : (
        <Table bordered={false} testId="invoices-table">
          <TableHead>
            <TableRow>
              <TableHeader>Invoice</TableHeader>
              <TableHeader>Issued</TableHeader>
              <TableHeader>Due</TableHeader>
              <TableHeader align="right">Total</TableHeader>
              <TableHeader align="right">Balance</TableHeader>
              <TableHeader>State</TableHeader>
            </TableRow>
          </TableHead>
          <TableBody>
            {invoices.map((invoice) => (
              <TableRow key={invoice.id}>
                <TableCell>{invoice.number ?? invoice.id}</TableCell>
                <TableCell>{format.date(invoice.issuedOn)}</TableCell>
                <TableCell>{invoice.dueOn ? format.date(invoice.dueOn) : "on receipt"}</TableCell>
                <TableCell align="right">{format.money(invoice.total)}</TableCell>
                <TableCell align="right">{format.money(invoice.balance)}</TableCell>
                <TableCell>
                  <InvoiceState invoice={invoice} />
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </Flex>
  );
}

function InvoiceState({ invoice }: { invoice: Invoice }) {
  if (invoice.overdue) return <Tag variant="error">Overdue</Tag>;
  if (/^0+$/.test(invoice.balance.minor)) return <Tag variant="success">Paid</Tag>;
  return <Tag variant="default">Open</Tag>;
}
