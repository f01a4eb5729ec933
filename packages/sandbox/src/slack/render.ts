// Block Kit to HTML for a page that shows what the bot posted: sections (text, fields, accessory), headers,
// dividers, context, actions, images and inputs, escaped throughout. Controls render disabled: it is a picture.
import type { AnyBlock } from "@slack/types";
import { escapeHtml, mrkdwnToHtml, plainTextToHtml, type RenderOptions, safeUrl } from "./mrkdwn.js";
import type { SlackMessage } from "./records.js";

export type { RenderOptions } from "./mrkdwn.js";

type Loose = Record<string, unknown>;
type TextObject = { type?: unknown; text?: unknown };

function text(object: unknown, options: RenderOptions): string {
  const t = object as TextObject | undefined;
  if (!t || typeof t.text !== "string") return "";
  return t.type === "mrkdwn" ? mrkdwnToHtml(t.text, options) : plainTextToHtml(t.text);
}

const attr = (value: unknown) => escapeHtml(typeof value === "string" ? value : String(value ?? ""));
const plain = (object: unknown) => plainTextToHtml(String((object as TextObject | undefined)?.text ?? ""));

function image(url: unknown, alt: unknown, className: string): string {
  const src = typeof url === "string" ? safeUrl(url, ["http:", "https:"]) : null;
  if (!src) return `<span class="${className} sk-missing-image">${attr(alt)}</span>`;
  return `<img class="${className}" src="${escapeHtml(src)}" alt="${attr(alt)}">`;
}

function element(value: unknown, options: RenderOptions): string {
  const e = (value ?? {}) as Loose;
  const action = e.action_id === undefined ? "" : ` data-action-id="${attr(e.action_id)}"`;
  switch (e.type) {
    case "button": {
      const style = e.style === "primary" || e.style === "danger" ? ` sk-button-${e.style}` : "";
      const url = typeof e.url === "string" ? safeUrl(e.url, ["http:", "https:"]) : null;
      if (url) {
        return `<a class="sk-button${style}"${action} href="${escapeHtml(url)}" rel="noopener noreferrer">${plain(e.text)}</a>`;
      }
      const data = e.value === undefined ? "" : ` data-value="${attr(e.value)}"`;
      return `<button type="button" class="sk-button${style}"${action}${data} disabled>${plain(e.text)}</button>`;
    }
    case "image":
      return image(e.image_url, e.alt_text, "sk-image-element");
    case "static_select":
    case "multi_static_select": {
      const choices = ((e.options ?? []) as Loose[])
        .map((o) => `<option value="${attr(o.value)}">${plain(o.text)}</option>`)
        .join("");
      const placeholder = e.placeholder ? `<option>${plain(e.placeholder)}</option>` : "";
      return `<select class="sk-select"${action} disabled>${placeholder}${choices}</select>`;
    }
    case "overflow":
      return `<button type="button" class="sk-overflow"${action} disabled>&#8943;</button>`;
    case "plain_text_input": {
      const tag = e.multiline ? "textarea" : "input";
      const hint = e.placeholder ? ` placeholder="${attr((e.placeholder as TextObject).text)}"` : "";
      return tag === "textarea"
        ? `<textarea class="sk-text-input"${action}${hint} disabled></textarea>`
        : `<input type="text" class="sk-text-input"${action}${hint} disabled>`;
    }
    case "checkboxes":
    case "radio_buttons": {
      const kind = e.type === "checkboxes" ? "checkbox" : "radio";
      const choices = ((e.options ?? []) as Loose[]).map(
        (o) => `<label><input type="${kind}" value="${attr(o.value)}" disabled> ${text(o.text, options)}</label>`,
      );
      return `<div class="sk-choices"${action}>${choices.join("")}</div>`;
    }
    default:
      return `<span class="sk-element sk-unsupported">[${attr(e.type)}]</span>`;
  }
}

function block(value: AnyBlock, options: RenderOptions): string {
  const b = value as unknown as Loose;
  const id = b.block_id === undefined ? "" : ` data-block-id="${attr(b.block_id)}"`;
  switch (b.type) {
    case "section": {
      const parts = [];
      if (b.text) parts.push(`<div class="sk-text">${text(b.text, options)}</div>`);
      if (Array.isArray(b.fields)) {
        const fields = b.fields.map((f) => `<div class="sk-field">${text(f, options)}</div>`).join("");
        parts.push(`<div class="sk-fields">${fields}</div>`);
      }
      if (b.accessory) parts.push(`<div class="sk-accessory">${element(b.accessory, options)}</div>`);
      return `<section class="sk-block sk-section"${id}>${parts.join("")}</section>`;
    }
    case "header":
      return `<h3 class="sk-block sk-header"${id}>${plain(b.text)}</h3>`;
    case "divider":
      return `<hr class="sk-block sk-divider"${id}>`;
    case "context": {
      const items = ((b.elements ?? []) as Loose[]).map((e) =>
        e.type === "image" ? image(e.image_url, e.alt_text, "sk-context-image") : `<span>${text(e, options)}</span>`,
      );
      return `<div class="sk-block sk-context"${id}>${items.join("")}</div>`;
    }
    case "actions": {
      const items = ((b.elements ?? []) as unknown[]).map((e) => element(e, options));
      return `<div class="sk-block sk-actions"${id}>${items.join("")}</div>`;
    }
    case "image": {
      const title = b.title ? `<figcaption>${plain(b.title)}</figcaption>` : "";
      return `<figure class="sk-block sk-image"${id}>${image(b.image_url, b.alt_text, "sk-image")}${title}</figure>`;
    }
    case "input": {
      const hint = b.hint ? `<div class="sk-hint">${plain(b.hint)}</div>` : "";
      const optional = b.optional ? ` <span class="sk-optional">(optional)</span>` : "";
      const label = `<label class="sk-label">${plain(b.label)}${optional}</label>`;
      return `<div class="sk-block sk-input"${id}>${label}${element(b.element, options)}${hint}</div>`;
    }
    case "markdown":
      return `<div class="sk-block sk-markdown"${id}>${plainTextToHtml(String(b.text ?? ""))}</div>`;
    default:
      return `<div class="sk-block sk-unsupported"${id}>[${attr(b.type)} block]</div>`;
  }
}

/** Blocks as HTML, every piece of text from the blocks escaped. */
export function renderBlocksHtml(blocks: readonly AnyBlock[], options: RenderOptions = {}): string {
  return blocks.map((b) => block(b, options)).join("\n");
}

/** A recorded message: its blocks, or its text when it has none (as Slack shows it), marked when edited. */
export function renderMessageHtml(message: SlackMessage, options: RenderOptions = {}): string {
  const body =
    message.blocks.length > 0
      ? renderBlocksHtml(message.blocks, options)
      : `<div class="sk-text">${mrkdwnToHtml(message.text, options)}</div>`;
  const edited = message.edited ? `<span class="sk-edited">(edited)</span>` : "";
  const ephemeral = message.ephemeralTo ? ` data-ephemeral-to="${attr(message.ephemeralTo)}"` : "";
  const thread = message.threadTs ? ` data-thread-ts="${attr(message.threadTs)}"` : "";
  return `<article class="sk-message" data-channel="${attr(message.channel)}" data-ts="${attr(message.ts)}"${thread}${ephemeral}>${body}${edited}</article>`;
}

/** A small stylesheet for the classes above. */
export const slackBlocksCss = `.sk-message{font:15px/1.45 system-ui,sans-serif;border:1px solid #ddd;border-radius:8px;padding:12px;margin:8px 0}
.sk-block{margin:6px 0}.sk-header{font-size:18px}.sk-fields{display:grid;grid-template-columns:1fr 1fr;gap:4px 16px}
.sk-section{display:flex;flex-wrap:wrap;gap:8px;justify-content:space-between}.sk-context{color:#616061;font-size:13px;display:flex;gap:6px}
.sk-context-image{width:16px;height:16px}.sk-image{max-width:360px}.sk-divider{border:0;border-top:1px solid #ddd}
.sk-button{border:1px solid #bbb;border-radius:4px;background:#fff;padding:4px 12px;margin-right:6px}
.sk-button-primary{background:#007a5a;color:#fff;border-color:#007a5a}.sk-button-danger{color:#e01e5a;border-color:#e01e5a}
.sk-edited{color:#616061;font-size:12px}.sk-mention{background:#e8f5fa;color:#1264a3;border-radius:3px;padding:0 2px}
blockquote{border-left:4px solid #ddd;margin:0;padding-left:8px}code{background:#f6f6f6;border:1px solid #ddd;padding:0 3px}`;
