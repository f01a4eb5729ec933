// Slack's mrkdwn to safe HTML: *bold*, _italic_, ~strike~, `code`, ```pre```, > quotes, <url|text> links,
// <@U…> / <#C…> / <!here> mentions, newlines. Everything the sender wrote is escaped; only our own tags are emitted.
import type { SlackWorkspace } from "./workspace.js";

export interface RenderOptions {
  /** Names for <@U…> and <#C…> mentions; ids are shown otherwise. */
  workspace?: Pick<SlackWorkspace, "user" | "channel">;
}

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/** Slack's own escaping in message text: the sender writes &lt; &gt; &amp; for literal < > &. */
const decodeSlack = (text: string) => text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");

/** A link target we are willing to put in href / src: web and mail addresses only. */
export function safeUrl(url: string, schemes: readonly string[] = ["http:", "https:", "mailto:"]): string | null {
  try {
    return schemes.includes(new URL(url).protocol) ? url : null;
  } catch {
    return null;
  }
}

function entity(inner: string, options: RenderOptions): string {
  const bar = inner.indexOf("|");
  const target = bar === -1 ? inner : inner.slice(0, bar);
  const label = bar === -1 ? null : decodeSlack(inner.slice(bar + 1));
  if (target.startsWith("@")) {
    const name = label ?? options.workspace?.user(target.slice(1))?.name ?? target.slice(1);
    return `<span class="sk-mention">@${escapeHtml(name.replace(/^@/, ""))}</span>`;
  }
  if (target.startsWith("#")) {
    const name = label ?? options.workspace?.channel(target.slice(1))?.name ?? target.slice(1);
    return `<span class="sk-mention">#${escapeHtml(name)}</span>`;
  }
  if (target.startsWith("!")) {
    const special = target.slice(1).split("^")[0]!;
    const text = label ?? (["here", "channel", "everyone"].includes(special) ? `@${special}` : special);
    return `<span class="sk-mention">${escapeHtml(text)}</span>`;
  }
  const url = safeUrl(decodeSlack(target));
  const text = escapeHtml(label ?? decodeSlack(target));
  return url ? `<a href="${escapeHtml(url)}" rel="noopener noreferrer">${text}</a>` : text;
}

/** Formatting markers count only at word edges, as in Slack: snake_case_words stay as they are. */
const styled = (marker: string, tag: string) =>
  [
    new RegExp(`(?<![\\w${marker}])\\${marker}(?!\\s)([^${marker}\\n]+?)(?<!\\s)\\${marker}(?![\\w${marker}])`, "g"),
    tag,
  ] as const;
const styles = [styled("*", "strong"), styled("_", "em"), styled("~", "del")];

/** Slack's emoji short names that bots commonly post, as the characters Slack shows; others stay as typed. */
const emoji: Record<string, string> = {
  arrows_counterclockwise: "🔄",
  crystal_ball: "🔮",
  hourglass: "⌛",
  hourglass_flowing_sand: "⏳",
  information_source: "ℹ️",
  large_green_circle: "🟢",
  large_orange_circle: "🟠",
  large_yellow_circle: "🟡",
  no_entry: "⛔",
  no_entry_sign: "🚫",
  red_circle: "🔴",
  small_orange_diamond: "🔸",
  tada: "🎉",
  triangular_flag_on_post: "🚩",
  warning: "⚠️",
  white_check_mark: "✅",
  x: "❌",
  credit_card: "💳",
  chart_with_upwards_trend: "📈",
  calendar: "📅",
};

export function mrkdwnToHtml(text: string, options: RenderOptions = {}): string {
  const slots: string[] = [];
  const slot = (html: string) => `\uE000${slots.push(html) - 1}\uE001`;
  // Private-use characters are our placeholders: a sender's own are dropped so they cannot forge one.
  let html = text.replace(/[\uE000\uE001]/g, "");
  html = html.replace(/```([\s\S]*?)```/g, (_, body: string) => slot(`<pre>${escapeHtml(decodeSlack(body))}</pre>`));
  html = html.replace(/`([^`\n]+)`/g, (_, body: string) => slot(`<code>${escapeHtml(decodeSlack(body))}</code>`));
  html = html.replace(/<([^<>\n]+)>/g, (_, inner: string) => slot(entity(inner, options)));
  html = escapeHtml(decodeSlack(html));
  // Before the styles: an emoji name's underscores are not italics.
  html = html.replace(/:([a-z0-9_+-]+):/g, (whole, name: string) => emoji[name] ?? whole);
  for (const [pattern, tag] of styles) html = html.replace(pattern, `<${tag}>$1</${tag}>`);
  html = html
    .split("\n")
    .map((line) => (line.startsWith("&gt; ") ? `<blockquote>${line.slice(5)}</blockquote>` : line))
    .join("\n")
    .replace(/<\/blockquote>\n<blockquote>/g, "<br>")
    .replace(/\n/g, "<br>");
  return html.replace(/\uE000(\d+)\uE001/g, (_, index: string) => slots[Number(index)]!);
}

export function plainTextToHtml(text: string): string {
  return escapeHtml(text).replace(/\n/g, "<br>");
}
