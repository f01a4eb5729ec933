// The API reference page: the OpenAPI document as readable HTML, grouped by tag, every operation with its inputs.
/** @jsxRuntime automatic @jsxImportSource hono/jsx */

import { raw } from "hono/html";
import { type OpenApiDocument, type Operation, operationsOf } from "./openapi";
import { OperationSection, Prose } from "./operationView";
import { referenceCss } from "./styles";

interface Group {
  name: string;
  description?: string;
  operations: Array<Operation & { anchor: string }>;
}

const slug = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "") || "x";

/** The section an untagged operation belongs in: its first path segment past a version prefix (/v1/accounts → accounts). */
function pathGroup(path: string): string {
  const segments = path.split("/").filter((s) => s && !/^v\d+$/.test(s) && !s.startsWith("{"));
  return segments[0] ?? "other";
}

function groupOperations(document: OpenApiDocument): Group[] {
  const groups = new Map<string, Group>();
  for (const tag of document.tags ?? [])
    groups.set(tag.name, { name: tag.name, description: tag.description, operations: [] });
  const anchors = new Set<string>();
  for (const operation of operationsOf(document)) {
    const name = operation.operation.tags?.[0] ?? pathGroup(operation.path);
    const base = `op-${slug(operation.operation.operationId ?? `${operation.method} ${operation.path}`)}`;
    let anchor = base;
    for (let n = 2; anchors.has(anchor); n++) anchor = `${base}-${n}`;
    anchors.add(anchor);
    const group = groups.get(name) ?? { name, operations: [] };
    group.operations.push({ ...operation, anchor });
    groups.set(name, group);
  }
  return [...groups.values()].filter((group) => group.operations.length > 0);
}

const problemExample = {
  type: "https://reckon.dev/problems/bad_request",
  status: 400,
  code: "bad_request",
  detail: "Invalid request: limit: Too big: expected number to be <=200",
  requestId: "5f0c2a8e-1d0b-4c4e-9a53-7f1b2c3d4e5f",
};

function Intro(props: { document: OpenApiDocument; specHref: string }) {
  const info = props.document.info ?? {};
  return (
    <>
      <h1>
        {info.title ?? "API"} reference{info.version ? <span class="muted"> (version {info.version})</span> : null}
      </h1>
      <Prose text={info.description} />
      {props.document.servers?.length ? (
        <p>
          Base URL: <code>{props.document.servers[0]?.url}</code>
        </p>
      ) : null}
      <p>
        The same document, machine-readable: <a href={props.specHref}>{props.specHref}</a> (OpenAPI 3.1).
      </p>
      <h2 id="authentication">Authentication</h2>
      <p>
        Send an API token as <code>Authorization: Bearer &lt;token&gt;</code>, or call from a signed-in browser, where
        the web session cookie identifies you. Each operation below names the permission your role needs.
      </p>
      <h2 id="errors">Errors</h2>
      <p>
        Every error is an <code>application/problem+json</code> document: <code>code</code> is a stable machine-readable
        reason, <code>detail</code> says what to change, and <code>requestId</code> (also in the{" "}
        <code>x-request-id</code> header) is what to quote when asking for help. Invalid input answers 400.
      </p>
      <pre>
        <code>{JSON.stringify(problemExample, null, 2)}</code>
      </pre>
      <h2 id="rate-limits">Rate limits</h2>
      <p>
        Too many requests answer <code>429</code> with a <code>Retry-After</code> header in seconds; wait that long
        before trying again.
      </p>
    </>
  );
}

function Contents(props: { groups: Group[] }) {
  return (
    <nav class="toc" aria-label="Contents">
      <ul>
        <li>
          <a href="#authentication">Authentication</a>
        </li>
        <li>
          <a href="#errors">Errors</a>
        </li>
        <li>
          <a href="#rate-limits">Rate limits</a>
        </li>
        {props.groups.map((group) => (
          <li>
            <a href={`#group-${slug(group.name)}`}>{group.name}</a>
            <ul>
              {group.operations.map((operation) => (
                <li>
                  <a href={`#${operation.anchor}`}>
                    <span class={`method ${operation.method}`}>{operation.method.toUpperCase()}</span>{" "}
                    <code>{operation.path}</code>
                  </a>
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** The whole page for one OpenAPI 3.1 document (what `app.getOpenAPI31Document` returns). */
export function ApiReferencePage(props: { document: object; specHref?: string }) {
  const document = props.document as OpenApiDocument;
  const groups = groupOperations(document);
  const title = `${document.info?.title ?? "API"} reference`;
  return (
    <>
      {raw("<!doctype html>")}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>{title}</title>
          <style>{raw(referenceCss)}</style>
        </head>
        <body>
          <a class="skip" href="#main">
            Skip to content
          </a>
          <div class="wrap">
            <Contents groups={groups} />
            <main id="main" tabindex={-1}>
              <Intro document={document} specHref={props.specHref ?? "/v1/openapi.json"} />
              {groups.map((group) => (
                <>
                  <h2 id={`group-${slug(group.name)}`}>{group.name}</h2>
                  <Prose text={group.description} />
                  {group.operations.map((operation) => (
                    <OperationSection document={document} operation={operation} />
                  ))}
                </>
              ))}
            </main>
          </div>
        </body>
      </html>
    </>
  );
}
