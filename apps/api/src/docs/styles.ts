// The reference page's one stylesheet: inline because the page must work offline with no external assets.
export const referenceCss = `
:root{--ink:#1d2433;--muted:#4d5566;--line:#d5d9e2;--bg:#f6f7f9;--card:#fff;--accent:#1f4fd1;--code:#eef0f4}
*{box-sizing:border-box}
body{margin:0;font:15px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:var(--bg)}
a{color:var(--accent)}
a:focus-visible{outline:3px solid #f5b400;outline-offset:2px}
.skip{position:absolute;left:-999px;top:0;background:var(--card);padding:.5rem 1rem}
.skip:focus{left:.5rem;top:.5rem}
.wrap{display:grid;grid-template-columns:minmax(0,17rem) minmax(0,1fr);gap:1.5rem;max-width:1200px;margin:0 auto;padding:1rem}
nav.toc{position:sticky;top:1rem;align-self:start;max-height:calc(100vh - 2rem);overflow:auto;font-size:.85rem}
nav.toc ul{list-style:none;margin:0;padding:0}
nav.toc ul ul{margin:.25rem 0 .75rem}
nav.toc li li{margin:.15rem 0}
nav.toc a{text-decoration:none}
nav.toc>ul>li>a{font-weight:600}
nav.toc a:hover{text-decoration:underline}
h1{font-size:1.6rem;margin:.5rem 0}
h2{font-size:1.25rem;margin:2rem 0 .5rem;border-bottom:1px solid var(--line);padding-bottom:.25rem}
h3{font-size:1.05rem;margin:0 0 .5rem;display:flex;flex-wrap:wrap;gap:.5rem;align-items:center}
h4{font-size:.9rem;margin:1rem 0 .35rem;text-transform:uppercase;letter-spacing:.03em;color:var(--muted)}
code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.88em}
code{background:var(--code);border-radius:4px;padding:0 .25rem;overflow-wrap:anywhere}
pre{background:var(--code);padding:.75rem;border-radius:6px;overflow:auto}
pre code{background:none;padding:0}
section.op{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:1rem;margin:1rem 0;scroll-margin-top:1rem}
.anchor{color:var(--muted);text-decoration:none;margin-left:auto}
.method{display:inline-block;min-width:3.6rem;text-align:center;border-radius:4px;padding:0 .4rem;font:700 .75rem/1.6 ui-monospace,monospace;color:#fff;background:#4d5566}
.method.get{background:#1f4fd1}.method.post{background:#17663a}.method.put,.method.patch{background:#8a5300}.method.delete{background:#b42318}
.permission{display:inline-block;background:#fff4e0;border:1px solid #f0c36d;color:#8a5300;border-radius:6px;padding:.1rem .5rem;font-size:.85rem}
.deprecated{color:#b42318;font-weight:600}
table{border-collapse:collapse;width:100%;font-size:.88rem}
th,td{text-align:left;padding:.4rem .6rem;border-bottom:1px solid var(--line);vertical-align:top}
thead th{background:var(--code);font-size:.75rem;text-transform:uppercase;letter-spacing:.03em}
.scroll{overflow-x:auto}
.req{color:#b42318;font-size:.75rem;font-weight:700;text-transform:uppercase;margin-left:.25rem}
.opt{color:var(--muted);font-size:.75rem;margin-left:.25rem}
.type{color:#6b3fa0;font-family:ui-monospace,monospace;font-size:.85em}
.constraints{display:inline-flex;flex-wrap:wrap;gap:.25rem;vertical-align:baseline}
.constraint{font-size:.78rem;border:1px solid var(--line);border-radius:999px;padding:0 .45rem;color:var(--muted);background:#fafbfc}
.constraint.warn{color:#b42318}
ul.fields{list-style:none;margin:.25rem 0;padding-left:1rem;border-left:2px solid var(--line)}
ul.fields>li{margin:.35rem 0}
.muted{color:var(--muted)}
.variants ol{margin:.25rem 0;padding-left:1.5rem}
@media (max-width:800px){.wrap{grid-template-columns:1fr}nav.toc{position:static;max-height:none}}
`;
