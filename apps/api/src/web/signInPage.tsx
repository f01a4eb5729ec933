// The sign-in page: workspace, email and password; on the embedded default also its demo users, one button each.
/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { AppDeps, DemoUser } from "../app";
import { roleLabel } from "./format";
import { Layout } from "./layout";

export type SignInField = "workspace" | "email" | "password";

export interface SignInViewProps {
  /** The token the form posts back as `_csrf` (the sign-in cookie's, or the session's when already signed in). */
  csrfToken: string;
  /** Where to go afterwards: a local path, already checked. */
  next: string;
  /** What was typed last time (never the password). */
  values: { workspace: string; email: string };
  /** The one sentence for a failed sign-in; it never says which part was wrong. */
  failure?: string;
  /** Field messages for input that cannot be a sign-in at all. */
  problems?: Array<{ field: SignInField; message: string }>;
  demo: AppDeps["demo"];
  /** The name of whoever is signed in already (signing in again replaces that session). */
  signedInAs?: string | null;
}

const roleOrder = ["admin", "finance", "account_manager", "viewer"];

export function SignInView(props: SignInViewProps) {
  const problems = props.problems ?? [];
  const invalid = (field: SignInField) => problems.some((p) => p.field === field);
  return (
    <Layout title="Reckon — Sign in">
      {props.signedInAs ? (
        <p class="note">
          You are signed in as {props.signedInAs}. Signing in again ends that session. <a href="/">Back to the grid</a>
        </p>
      ) : null}
      {props.failure || problems.length > 0 ? (
        <div class="error" role="alert" id="sign-in-error">
          {props.failure ? <p style="margin:0">{props.failure}</p> : null}
          {problems.length > 0 ? (
            <ul style="margin:0;padding-left:1.25rem">
              {problems.map((p) => (
                <li>{p.message}</li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      <section class="card" aria-labelledby="sign-in-heading">
        <h2 id="sign-in-heading">Sign in</h2>
        <form class="signin" method="post" action="/sign-in">
          <input type="hidden" name="_csrf" value={props.csrfToken} />
          <input type="hidden" name="next" value={props.next} />
          <div class="field">
            <label for="sign-in-workspace">Workspace</label>
            <input
              id="sign-in-workspace"
              name="workspace"
              value={props.values.workspace}
              required
              maxlength={40}
              autocapitalize="none"
              spellcheck={false}
              aria-invalid={invalid("workspace") ? "true" : undefined}
            />
          </div>
          <div class="field">
            <label for="sign-in-email">Email</label>
            <input
              id="sign-in-email"
              type="email"
              name="email"
              value={props.values.email}
              required
              maxlength={320}
              autocomplete="username"
              aria-invalid={invalid("email") ? "true" : undefined}
            />
          </div>
          <div class="field">
            <label for="sign-in-password">Password</label>
            <input
              id="sign-in-password"
              type="password"
              name="password"
              required
              maxlength={1000}
              autocomplete="current-password"
              aria-invalid={invalid("password") ? "true" : undefined}
            />
          </div>
          <div class="actions">
            <button type="submit">Sign in</button>
          </div>
        </form>
      </section>
      {props.demo ? <DemoUsers demo={props.demo} csrfToken={props.csrfToken} next={props.next} /> : null}
    </Layout>
  );
}

/** The embedded default only: generated data, so its users and their password are no secret. */
function DemoUsers(props: { demo: NonNullable<AppDeps["demo"]>; csrfToken: string; next: string }) {
  const users = [...props.demo.users].sort(
    (a, b) => roleOrder.indexOf(a.role) - roleOrder.indexOf(b.role) || a.name.localeCompare(b.name),
  );
  return (
    <section aria-labelledby="demo-users-heading">
      <h2 id="demo-users-heading">Demo users</h2>
      <p>
        This is the demo workspace <code>{props.demo.workspace}</code> with generated data. Sign in as any of its users,
        one of every role:
      </p>
      <div class="scroll">
        <table id="demo-users">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Role</th>
              <th scope="col">Email</th>
              <th scope="col">Password</th>
              <th scope="col">
                <span class="sr-only">Sign in</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {users.map((user) => (
              <DemoUserRow user={user} workspace={props.demo.workspace} csrfToken={props.csrfToken} next={props.next} />
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function DemoUserRow(props: { user: DemoUser; workspace: string; csrfToken: string; next: string }) {
  const { user } = props;
  return (
    <tr data-role={user.role}>
      <th scope="row">{user.name}</th>
      <td>{roleLabel(user.role)}</td>
      <td>{user.email}</td>
      <td>
        <code>{user.password}</code>
      </td>
      <td>
        <form method="post" action="/sign-in">
          <input type="hidden" name="_csrf" value={props.csrfToken} />
          <input type="hidden" name="next" value={props.next} />
          <input type="hidden" name="workspace" value={props.workspace} />
          <input type="hidden" name="email" value={user.email} />
          <input type="hidden" name="password" value={user.password} />
          <button type="submit" class="secondary">
            Sign in<span class="sr-only"> as {user.name}</span>
          </button>
        </form>
      </td>
    </tr>
  );
}
