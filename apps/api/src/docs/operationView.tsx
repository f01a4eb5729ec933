// One operation as a section of the reference page: method and path, permission, parameters, body, responses.
/** @jsxRuntime automatic @jsxImportSource hono/jsx */

import type { OpenApiDocument, Operation, ParameterObject } from "./openapi";
import { resolve } from "./openapi";
import { Constraints, SchemaView, typeLabel } from "./schemaView";

/** Plain text with blank-line paragraphs and `code` spans; never HTML, whatever the document says. */
export function Prose(props: { text: string | undefined }) {
  if (!props.text) return null;
  return (
    <>
      {props.text.split(/\n\s*\n/).map((paragraph) => (
        <p>{paragraph.split("`").map((part, index) => (index % 2 === 1 ? <code>{part}</code> : part))}</p>
      ))}
    </>
  );
}

function permissionOf(operation: Operation): string[] {
  const value = operation.operation["x-reckon-permission"];
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === "string");
  return [];
}

function ParametersTable(props: { document: OpenApiDocument; parameters: ParameterObject[] }) {
  const order = { path: 0, query: 1, header: 2, cookie: 3 } as const;
  const sorted = [...props.parameters].sort((a, b) => (order[a.in] ?? 9) - (order[b.in] ?? 9));
  return (
    <div class="scroll">
      <table>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">In</th>
            <th scope="col">Type</th>
            <th scope="col">Description and constraints</th>
          </tr>
        </thead>
        <tbody>
          {sorted.map((parameter) => (
            <tr>
              <th scope="row">
                <code>{parameter.name}</code>{" "}
                {parameter.required ? <span class="req">required</span> : <span class="opt">optional</span>}
                {parameter.deprecated ? <span class="deprecated"> deprecated</span> : null}
              </th>
              <td>{parameter.in}</td>
              <td class="type">{typeLabel(props.document, parameter.schema)}</td>
              <td>
                {parameter.description ? <span>{parameter.description} </span> : null}
                <Constraints document={props.document} schema={parameter.schema} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function RequestBody(props: { document: OpenApiDocument; operation: Operation }) {
  const body = props.operation.requestBody;
  if (!body?.content) return null;
  return (
    <>
      <h4>Request body {body.required ? <span class="req">required</span> : <span class="opt">optional</span>}</h4>
      <Prose text={body.description} />
      {Object.entries(body.content).map(([mediaType, media]) => (
        <div>
          <p>
            Content type <code>{mediaType}</code>
          </p>
          <SchemaView document={props.document} schema={media.schema} />
        </div>
      ))}
    </>
  );
}

const hasShape = (schema: unknown) =>
  typeof schema === "object" && schema !== null && Object.keys(schema).some((key) => key !== "description");

function Responses(props: { document: OpenApiDocument; operation: Operation }) {
  const entries = Object.entries(props.operation.operation.responses ?? {}).sort(([a], [b]) =>
    a === "default" ? 1 : b === "default" ? -1 : a.localeCompare(b),
  );
  if (entries.length === 0) return null;
  return (
    <>
      <h4>Responses</h4>
      <div class="scroll">
        <table>
          <thead>
            <tr>
              <th scope="col">Status</th>
              <th scope="col">Description</th>
            </tr>
          </thead>
          <tbody>
            {entries.map(([status, entry]) => {
              const response = resolve(props.document, entry);
              const contents = Object.entries(response?.content ?? {});
              return (
                <tr>
                  <th scope="row">
                    <code>{status}</code>
                  </th>
                  <td>
                    {response?.description ?? ""}
                    {contents.map(([mediaType, media]) => (
                      <div class="muted">
                        <code>{mediaType}</code>
                        {hasShape(media.schema) ? (
                          <details>
                            <summary>Shape</summary>
                            <SchemaView document={props.document} schema={media.schema} />
                          </details>
                        ) : null}
                      </div>
                    ))}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </>
  );
}

/** Who may call: the route guard's special values ("public", "signed_in", "signature") read as words, others as permissions. */
function Access(props: { permissions: string[] }) {
  const { permissions } = props;
  if (permissions.length === 0) return null;
  if (permissions.includes("public")) return <p class="permission">Public: no credentials needed.</p>;
  if (permissions.includes("signed_in")) return <p class="permission">Any signed-in caller, whatever their role.</p>;
  if (permissions.includes("signature"))
    return <p class="permission">Signed by the provider: the body's signature is the credential, not a user.</p>;
  return (
    <p class="permission">
      Requires permission{" "}
      {permissions.map((permission, index) => (
        <>
          {index > 0 ? " or " : ""}
          <code>{permission}</code>
        </>
      ))}
    </p>
  );
}

export function OperationSection(props: { document: OpenApiDocument; operation: Operation & { anchor: string } }) {
  const { document, operation } = props;
  const permissions = permissionOf(operation);
  return (
    <section class="op" id={operation.anchor} aria-labelledby={`${operation.anchor}-title`}>
      <h3 id={`${operation.anchor}-title`}>
        <span class={`method ${operation.method}`}>{operation.method.toUpperCase()}</span>
        <code>{operation.path}</code>
        {operation.operation.deprecated ? <span class="deprecated">deprecated</span> : null}
        <a class="anchor" href={`#${operation.anchor}`} aria-label={`Link to ${operation.id}`}>
          #
        </a>
      </h3>
      {operation.operation.summary ? <p>{operation.operation.summary}</p> : null}
      <Prose text={operation.operation.description} />
      <Access permissions={permissions} />
      {operation.parameters.length ? (
        <>
          <h4>Parameters</h4>
          <ParametersTable document={document} parameters={operation.parameters} />
        </>
      ) : null}
      <RequestBody document={document} operation={operation} />
      <Responses document={document} operation={operation} />
    </section>
  );
}
