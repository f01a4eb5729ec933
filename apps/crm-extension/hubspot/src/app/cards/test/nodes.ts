// Small helpers over the testing renderer's nodes.
import { type TableProps, TableRow, type UnknownComponentProps } from "@hubspot/ui-extensions";
import { type RenderedElementNode, type RenderedNode, RenderedNodeType } from "@hubspot/ui-extensions/testing";

/** All the text a person reads in a node, its descendants' included (`node.text` holds only its own text children). */
export function textOf(node: RenderedNode | null | undefined): string {
  if (!node) return "";
  if (node.nodeType === RenderedNodeType.Text) return node.text;
  return node.childNodes
    .map((child) => textOf(child))
    .join(" ")
    .replace(/\s+/g, " ")
    .trim();
}

/**
 * Calls an event prop with its argument, the way HubSpot would (`onChange("wrong_amount")`). The renderer's
 * `trigger` does the calling; its 0.17 typings type the argument as the handler itself, hence the cast.
 */
export function fire<TProps extends UnknownComponentProps>(
  node: RenderedElementNode<TProps>,
  event: keyof TProps & string,
  argument?: unknown,
): void {
  (node.trigger as (name: string, arg?: unknown) => void)(event, argument);
}

/** Each table row's text, the header row first. */
export function rowsOf(table: RenderedElementNode<TableProps>): string[] {
  return table.findAll(TableRow).map((row) => textOf(row));
}
