// The Flag issue form: a reason from the API's list, an optional note and an optional amount in the account currency.
import { Button, ButtonRow, Flex, Form, Input, Select, TextArea } from "@hubspot/ui-extensions";
import { useState } from "react";
import type { FlagReason, FlagRequest } from "../api/types";
import { parseAmount } from "../format/money";

export interface FlagIssueFormProps {
  reasons: FlagReason[];
  /** The account's currency; null when the card has no money to tell it by, and then no amount is asked. */
  currency: string | null;
  busy: boolean;
  onCancel(): void;
  onSubmit(flag: FlagRequest): void;
}

interface FormErrors {
  reason?: string;
  amount?: string;
}

export function FlagIssueForm({ reasons, currency, busy, onCancel, onSubmit }: FlagIssueFormProps) {
  const [reason, setReason] = useState("");
  const [note, setNote] = useState("");
  const [amount, setAmount] = useState("");
  const [errors, setErrors] = useState<FormErrors>({});

  const submit = () => {
    if (busy) return;
    const checked = checkFlag({ reason, note, amount, currency, reasons });
    setErrors(checked.errors);
    if (checked.flag) onSubmit(checked.flag);
  };

  return (
    <Form onSubmit={submit} preventDefault testId="flag-form">
      <Flex direction="column" gap="sm">
        <Select
          name="reason"
          label="Reason"
          required
          options={reasons}
          value={reason}
          onChange={(value) => setReason(String(value))}
          error={errors.reason !== undefined}
          validationMessage={errors.reason}
        />
        <TextArea name="note" label="Note" value={note} onChange={setNote} />
        {currency && (
          <Input
            name="amount"
            label={`Amount (${currency}, optional)`}
            value={amount}
            onChange={setAmount}
            error={errors.amount !== undefined}
            validationMessage={errors.amount}
          />
        )}
        <ButtonRow>
          <Button type="submit" variant="primary" disabled={busy}>
            Send flag
          </Button>
          <Button variant="secondary" onClick={onCancel} disabled={busy}>
            Cancel
          </Button>
        </ButtonRow>
      </Flex>
    </Form>
  );
}

/** What the form would send, or why it may not yet. */
export function checkFlag(input: {
  reason: string;
  note: string;
  amount: string;
  currency: string | null;
  reasons: FlagReason[];
}): { flag: FlagRequest | null; errors: FormErrors } {
  const errors: FormErrors = {};
  if (!input.reasons.some((known) => known.value === input.reason)) errors.reason = "Choose a reason.";
  const flag: FlagRequest = { reason: input.reason };
  if (input.note.trim() !== "") flag.note = input.note.trim();
  if (input.currency && input.amount.trim() !== "") {
    const parsed = parseAmount(input.amount, input.currency);
    if (parsed.ok) flag.amount = parsed.money;
    else errors.amount = parsed.reason;
  }
  return { flag: errors.reason || errors.amount ? null : flag, errors };
}
