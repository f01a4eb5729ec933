import type { AnyBlock } from "@slack/types";
import { describe, expect, it } from "vitest";
import { mrkdwnToHtml } from "./mrkdwn.js";
import type { SlackMessage } from "./records.js";
import { renderBlocksHtml, renderMessageHtml } from "./render.js";
import { createWorkspace } from "./workspace.js";

describe("mrkdwn to HTML", () => {
  it("renders bold, italic, strike, code, pre, quotes, links and newlines", () => {
    expect(mrkdwnToHtml("*Acme* is _late_ by ~3~ `4` days\nsee <https://reckon.example.com/a/1|the account>")).toBe(
      '<strong>Acme</strong> is <em>late</em> by <del>3</del> <code>4</code> days<br>see <a href="https://reckon.example.com/a/1" rel="noopener noreferrer">the account</a>',
    );
    expect(mrkdwnToHtml("```a *b*\nc```")).toBe("<pre>a *b*\nc</pre>");
    expect(mrkdwnToHtml("&gt; quoted\n&gt; twice\nafter")).toBe("<blockquote>quoted<br>twice</blockquote><br>after");
    expect(mrkdwnToHtml("*bold <https://x.example|link>*")).toBe(
      '<strong>bold <a href="https://x.example" rel="noopener noreferrer">link</a></strong>',
    );
  });

  it("shows the emoji bots post as characters, leaves unknown names and code alone", () => {
    expect(mrkdwnToHtml(":large_green_circle: ok :not_an_emoji: `:x:`")).toBe("🟢 ok :not_an_emoji: <code>:x:</code>");
  });

  it("leaves markers inside words alone, as Slack does", () => {
    expect(mrkdwnToHtml("invoice_line_item and 2*3*4")).toBe("invoice_line_item and 2*3*4");
  });

  it("names mentions from the workspace and keeps Slack's own escapes literal", () => {
    const workspace = createWorkspace({ users: [{ id: "U0AVA", email: "ava@acme.example.com", name: "ava" }] });
    const finance = workspace.channel("finance")!;
    expect(mrkdwnToHtml(`<@U0AVA> in <#${finance.id}> <!here> 1 &lt; 2 &amp;`, { workspace })).toBe(
      '<span class="sk-mention">@ava</span> in <span class="sk-mention">#finance</span> <span class="sk-mention">@here</span> 1 &lt; 2 &amp;',
    );
  });

  it("escapes markup, refuses javascript: links and cannot be tricked by placeholder characters", () => {
    // Raw angle brackets are Slack's link syntax: <script> is a "link" to "script", shown as its text.
    expect(mrkdwnToHtml("<script>alert(1)</script> <javascript:alert(1)|click>")).toBe("scriptalert(1)/script click");
    // Escaped ones (how a sender writes a literal "<") come out as text.
    expect(mrkdwnToHtml("&lt;script&gt;alert(1)&lt;/script&gt;")).toBe("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(mrkdwnToHtml(`<https://x.example/a"onclick=b|x> <@U1|<img src=x onerror=alert(1)>>`)).toBe(
      '<a href="https://x.example/a&quot;onclick=b" rel="noopener noreferrer">x</a> &lt;@U1|img src=x onerror=alert(1)&gt;',
    );
    expect(mrkdwnToHtml(`"q" 'a' \uE0000\uE001`)).toBe("&quot;q&quot; &#39;a&#39; 0");
  });
});

describe("Block Kit to HTML", () => {
  const blocks = [
    { type: "header", text: { type: "plain_text", text: "Acme <Corp>" } },
    {
      type: "section",
      block_id: "summary",
      text: { type: "mrkdwn", text: "*Overdue* 31-60 days" },
      fields: [
        { type: "mrkdwn", text: "*Invoice*\n1042" },
        { type: "plain_text", text: "$1,200.00 <b>" },
      ],
      accessory: {
        type: "button",
        action_id: "open",
        text: { type: "plain_text", text: "Open" },
        url: "https://reckon.example.com/a/1",
      },
    },
    { type: "divider" },
    {
      type: "context",
      elements: [
        { type: "image", image_url: "https://reckon.example.com/logo.png", alt_text: "Reckon" },
        { type: "mrkdwn", text: "Last synced _2 min ago_" },
      ],
    },
    {
      type: "actions",
      elements: [
        {
          type: "button",
          action_id: "retry_payment",
          style: "primary",
          value: 'inv_1042"><script>',
          text: { type: "plain_text", text: "Retry payment" },
        },
        { type: "button", action_id: "flag_issue", style: "danger", text: { type: "plain_text", text: "Flag issue" } },
      ],
    },
    { type: "image", image_url: "javascript:alert(1)", alt_text: "chart <script>alert(1)</script>" },
    { type: "rich_text", elements: [] },
  ] as unknown as AnyBlock[];

  it("renders each block kind with its text and controls", () => {
    const html = renderBlocksHtml(blocks);
    expect(html).toContain('<h3 class="sk-block sk-header">Acme &lt;Corp&gt;</h3>');
    expect(html).toContain('<section class="sk-block sk-section" data-block-id="summary">');
    expect(html).toContain('<div class="sk-text"><strong>Overdue</strong> 31-60 days</div>');
    expect(html).toContain('<div class="sk-field"><strong>Invoice</strong><br>1042</div>');
    expect(html).toContain('<div class="sk-field">$1,200.00 &lt;b&gt;</div>');
    expect(html).toContain(
      '<a class="sk-button" data-action-id="open" href="https://reckon.example.com/a/1" rel="noopener noreferrer">Open</a>',
    );
    expect(html).toContain('<hr class="sk-block sk-divider">');
    expect(html).toContain('<img class="sk-context-image" src="https://reckon.example.com/logo.png" alt="Reckon">');
    expect(html).toContain("<span>Last synced <em>2 min ago</em></span>");
    expect(html).toContain(
      '<button type="button" class="sk-button sk-button-primary" data-action-id="retry_payment" data-value="inv_1042&quot;&gt;&lt;script&gt;" disabled>Retry payment</button>',
    );
    expect(html).toContain(
      'class="sk-button sk-button-danger" data-action-id="flag_issue" disabled>Flag issue</button>',
    );
    expect(html).toContain('<div class="sk-block sk-unsupported">[rich_text block]</div>');
  });

  it("never lets a <script> or a javascript: URL through", () => {
    const html = renderBlocksHtml(blocks);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toContain("javascript:");
    expect(html).toContain(
      '<span class="sk-image sk-missing-image">chart &lt;script&gt;alert(1)&lt;/script&gt;</span>',
    );
  });

  it("renders a message's text when it has no blocks, and marks edits", () => {
    const message = {
      channel: "C0FIN",
      ts: "1764082800.000100",
      threadTs: null,
      text: "Retry *approved* <script>x</script>",
      blocks: [],
      ephemeralTo: null,
      edited: { user: "U0BOT", ts: "1764082801.000100" },
    } as unknown as SlackMessage;
    expect(renderMessageHtml(message)).toBe(
      '<article class="sk-message" data-channel="C0FIN" data-ts="1764082800.000100"><div class="sk-text">Retry <strong>approved</strong> scriptx/script</div><span class="sk-edited">(edited)</span></article>',
    );
  });
});
