// The page shell every web view shares: doctype, one small inline stylesheet, skip link and the main landmark.
/** @jsxRuntime automatic @jsxImportSource hono/jsx */

import { raw } from "hono/html";
import type { Child } from "hono/jsx";
import { roleLabel } from "./format";
import type { Viewer } from "./viewer";

// Inline on purpose: the view has no build step and must work offline, with no external assets.
const css = `
:root{--ink:#1d2433;--muted:#4d5566;--line:#d5d9e2;--bg:#f6f7f9;--card:#fff;--accent:#1f4fd1;--red:#b42318;--red-bg:#fdecea;--amber:#8a5300;--amber-bg:#fff4e0;--green:#17663a;--green-bg:#e7f6ec}
*{box-sizing:border-box}
body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:var(--bg)}
a{color:var(--accent)}
a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible,summary:focus-visible{outline:3px solid #f5b400;outline-offset:2px}
.skip{position:absolute;left:-999px;top:0;background:var(--card);padding:.5rem 1rem;z-index:10}
.skip:focus{left:.5rem;top:.5rem}
.sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
form.inline{display:inline-flex;gap:.4rem;align-items:center;margin:.25rem .5rem .25rem 0;flex-wrap:wrap}
ul.plain{list-style:none;padding:0;margin:0 0 1rem}ul.plain>li{margin:.35rem 0}
form.stack{display:grid;gap:.4rem;max-width:32rem;margin-top:.6rem}
details.flag-form>summary{display:inline-block;cursor:pointer}
section.tour{border-left:4px solid var(--accent)}section.tour ol{margin:.5rem 0 1rem;padding-left:1.25rem}
section.tour li{margin:.35rem 0}footer.page-foot{margin-top:1.5rem}
header.top{background:var(--ink);color:#fff;padding:.75rem 1rem}
header.top .bar{max-width:1200px;margin:0 auto;display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;justify-content:space-between}
header.top h1{font-size:1.25rem;margin:0}
header.top a{color:#fff}
header.top .sync{font-size:.875rem;color:#dfe3ea;display:flex;gap:.75rem;align-items:center;flex-wrap:wrap}
main{max-width:1200px;margin:0 auto;padding:1rem}
h2{font-size:1.1rem;margin:1.5rem 0 .5rem}
h3{font-size:1rem;margin:1rem 0 .25rem}
.card>h2:first-child,.card>h3:first-child{margin-top:0}
code+.badge{margin-left:.5rem}
.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:1rem;margin-bottom:1rem}
button,.button{font:inherit;border:1px solid var(--accent);background:var(--accent);color:#fff;border-radius:6px;padding:.35rem .8rem;cursor:pointer;text-decoration:none;display:inline-block}
button.secondary,.button.secondary{background:var(--card);color:var(--accent)}
button:disabled{background:#e4e7ec;border-color:#c4c9d2;color:#4d5566;cursor:not-allowed}
form.filters{display:grid;grid-template-columns:repeat(auto-fit,minmax(160px,1fr));gap:.75rem;align-items:end}
form.filters .field{display:flex;flex-direction:column;gap:.2rem}
form.filters label{font-size:.85rem;font-weight:600}
input,select{font:inherit;padding:.35rem .5rem;border:1px solid #8b93a3;border-radius:6px;background:#fff;color:var(--ink);min-width:0}
.actions{display:flex;gap:.5rem;align-items:center;flex-wrap:wrap}
.notice,.error,.banner{border-radius:8px;padding:.75rem 1rem;margin-bottom:1rem;border:1px solid}
.notice{background:var(--green-bg);border-color:#9fd5b2;color:var(--green)}
.error{background:var(--red-bg);border-color:#f1aeb5;color:var(--red)}
.banner{background:var(--amber-bg);border-color:#f0c36d;color:var(--amber)}
.scroll{overflow-x:auto;background:var(--card);border:1px solid var(--line);border-radius:8px}
table{border-collapse:collapse;width:100%;font-size:.9rem}
caption{text-align:left;padding:.5rem .75rem;color:var(--muted);font-size:.85rem}
th,td{text-align:left;padding:.5rem .75rem;border-bottom:1px solid var(--line);vertical-align:top}
thead th{background:#eef0f4;font-size:.8rem;text-transform:uppercase;letter-spacing:.03em;white-space:nowrap}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.nowrap{white-space:nowrap}
.headline{display:block;color:var(--muted);font-size:.8rem;font-weight:400;margin-top:.15rem}
#portfolio tbody th{min-width:14rem}
tr.outlier>*{background:var(--red-bg)}
tr.outlier>:first-child{box-shadow:inset 4px 0 0 var(--red)}
.flag{color:var(--red);font-weight:700}
.badge{display:inline-block;border-radius:999px;padding:0 .5rem;font-size:.78rem;font-weight:600;border:1px solid;white-space:nowrap}
.badge.ok{color:var(--green);background:var(--green-bg);border-color:#9fd5b2}
.badge.attention{color:var(--amber);background:var(--amber-bg);border-color:#f0c36d}
.badge.at_risk,.badge.bad{color:var(--red);background:var(--red-bg);border-color:#f1aeb5}
.red{color:var(--red)}.green{color:var(--green)}
.muted{color:var(--muted)}
.empty{padding:2rem 1rem;text-align:center}
.pager{display:flex;justify-content:space-between;align-items:center;margin:.75rem 0;gap:1rem;flex-wrap:wrap}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:0}
dl.facts dt{font-weight:600;color:var(--muted)}
dl.facts dd{margin:0}
.grid2{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,440px),1fr));gap:1rem}
.chart svg{width:100%;height:auto;max-width:560px;display:block}
ol.timeline{list-style:none;margin:0;padding:0}
ol.timeline li{border-left:4px solid var(--line);padding:.4rem .75rem;margin-bottom:.5rem;background:var(--card)}
ol.timeline li.discrepancy{border-left-color:var(--red)}
ol.timeline li.matched{border-left-color:var(--green)}
details summary{cursor:pointer;color:var(--accent)}
header.top .who{font-size:.875rem;color:#dfe3ea;display:flex;gap:.75rem;align-items:center;flex-wrap:wrap}
header.top .who strong{color:#fff}
header.top form{margin:0}
form.signin{display:grid;gap:.75rem;max-width:26rem}
form.signin .field{display:flex;flex-direction:column;gap:.2rem}
form.signin label{font-weight:600}
td form{margin:0}
.note{background:#eef2fd;border:1px solid #c3d0f5;border-radius:8px;padding:.5rem 1rem;margin:0 0 1rem}
@media (max-width:600px){main{padding:.5rem}th,td{padding:.4rem .5rem}header.top h1{font-size:1.1rem}}
`;

export function Layout(props: { title: string; viewer?: Viewer | null; sync?: Child; children: Child }) {
  return (
    <>
      {raw("<!doctype html>")}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>{props.title}</title>
          <style>{raw(css)}</style>
        </head>
        <body>
          <a class="skip" href="#main">
            Skip to content
          </a>
          <header class="top">
            <div class="bar">
              <h1>
                <a href="/">Reckon</a> — {props.title.replace(/^Reckon — /, "")}
              </h1>
              {props.sync}
              {props.viewer ? <SignedIn viewer={props.viewer} /> : null}
            </div>
          </header>
          <main id="main" tabindex={-1}>
            {props.children}
          </main>
        </body>
      </html>
    </>
  );
}

/** Who is signed in, in which workspace, and the way out (a POST with the session's CSRF token). */
function SignedIn({ viewer }: { viewer: Viewer }) {
  const finance = viewer.role === "finance" || viewer.role === "admin";
  return (
    <div class="who">
      <nav aria-label="Pages">
        <a href="/finance">Finance metrics</a>
        {finance ? (
          <>
            {" · "}
            <a href="/approvals">Approvals</a> · <a href="/flags">Flags</a>
          </>
        ) : null}
        {viewer.role === "admin" ? (
          <>
            {" · "}
            <a href="/links">Map accounts</a>
          </>
        ) : null}
      </nav>
      <span>
        Signed in as <strong>{viewer.name}</strong> ({roleLabel(viewer.role)})
        {viewer.workspace ? (
          <>
            {" "}
            in <strong>{viewer.workspace}</strong>
          </>
        ) : null}
      </span>
      <form method="post" action="/sign-out">
        <input type="hidden" name="_csrf" value={viewer.csrfToken} />
        <button type="submit" class="secondary">
          Sign out
        </button>
      </form>
    </div>
  );
}

/** A plain page for 400 / 403 / 404 answers: what went wrong and the way back. */
export function MessagePage(props: {
  title: string;
  message: string;
  viewer?: Viewer | null;
  back?: { href: string; label: string };
}) {
  const back = props.back ?? { href: "/", label: "Back to the portfolio" };
  return (
    <Layout title={`Reckon — ${props.title}`} viewer={props.viewer}>
      <div class="card">
        <h2>{props.title}</h2>
        <p>{props.message}</p>
        <p>
          <a href={back.href}>{back.label}</a>
        </p>
      </div>
    </Layout>
  );
}
