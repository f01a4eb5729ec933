// /v1/users (admin): the tenant's users and roles, and the Slack / CRM identities that act as them.
import { type OpenAPIHono, z } from "@hono/zod-openapi";
import {
  createUser,
  createUserInput,
  identityInput,
  listUsers,
  mapIdentity,
  type UserChange,
  unmapIdentity,
  updateUser,
  updateUserInput,
  userIdInput,
} from "@reckon/core";
import type { AppEnv } from "../app";
import { actingContext, guardedRoute } from "../auth/guard";
import { ApiError } from "../errors";

const userSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: z.enum(["admin", "finance", "account_manager", "viewer"]),
  canSignIn: z.boolean(),
  disabled: z.boolean(),
  accountsOwned: z.number(),
  identities: z.array(z.object({ provider: z.string(), externalId: z.string() })),
});
const json = <T extends z.ZodType>(schema: T) => ({ content: { "application/json": { schema } }, required: true });

const list = guardedRoute("settings.manage", {
  method: "get",
  path: "/v1/users",
  summary: "Users, roles and mapped identities",
  responses: {
    200: {
      description: "Users",
      content: { "application/json": { schema: z.object({ users: z.array(userSchema) }) } },
    },
  },
});

const create = guardedRoute("settings.manage", {
  method: "post",
  path: "/v1/users",
  summary: "Add a user with a role (and a password to sign in to the web view)",
  request: { body: json(createUserInput) },
  responses: {
    201: { description: "Created", content: { "application/json": { schema: userSchema } } },
    400: { description: "Invalid body" },
    409: { description: "That email already has a user" },
  },
});

const update = guardedRoute("settings.manage", {
  method: "patch",
  path: "/v1/users/{userId}",
  summary: "Change a user's name, role or password, or disable them",
  request: { params: userIdInput, body: json(updateUserInput) },
  responses: {
    200: { description: "Updated", content: { "application/json": { schema: userSchema } } },
    400: { description: "Invalid body" },
    404: { description: "No such user" },
    409: { description: "The change would leave the workspace without an admin" },
  },
});

const map = guardedRoute("settings.manage", {
  method: "post",
  path: "/v1/users/{userId}/identities",
  summary: "Map a Slack, HubSpot or Salesforce user to this user",
  description: "Requests from that identity (Slack commands, CRM cards) then act as this user, with their role.",
  request: { params: userIdInput, body: json(identityInput) },
  responses: {
    204: { description: "Mapped" },
    400: { description: "Invalid body" },
    404: { description: "No such user" },
    409: { description: "That identity acts for another workspace" },
  },
});

const unmap = guardedRoute("settings.manage", {
  method: "delete",
  path: "/v1/users/{userId}/identities/{provider}/{externalId}",
  summary: "Remove an identity mapping",
  request: { params: userIdInput.extend(identityInput.shape) },
  responses: {
    204: { description: "Removed" },
    400: { description: "Invalid provider or id" },
    404: { description: "No such mapping" },
  },
});

function answer(change: UserChange) {
  if (change.ok) return change.user;
  switch (change.reason) {
    case "not_found":
      throw new ApiError("not_found", "No user with that id. List them with GET /v1/users.");
    case "email_taken":
      throw new ApiError("conflict", "A user with that email exists already; change their role with PATCH instead.");
    case "last_admin":
      throw new ApiError(
        "conflict",
        "That would leave the workspace without an active admin. Make someone else admin first.",
      );
  }
}

export function registerUsers(app: OpenAPIHono<AppEnv>) {
  app.openapi(list, async (c) => c.json({ users: await listUsers({ ctx: actingContext(c) }) }, 200));
  app.openapi(create, async (c) =>
    c.json(answer(await createUser({ ctx: actingContext(c), input: c.req.valid("json") })), 201),
  );
  app.openapi(update, async (c) => {
    const input = { ...c.req.valid("json"), ...c.req.valid("param") };
    return c.json(answer(await updateUser({ ctx: actingContext(c), input })), 200);
  });
  app.openapi(map, async (c) => {
    const change = await mapIdentity({
      ctx: actingContext(c),
      input: { ...c.req.valid("json"), ...c.req.valid("param") },
    });
    if (!change.ok && change.reason === "not_found") throw new ApiError("not_found", "No user with that id.");
    if (!change.ok)
      throw new ApiError("conflict", "That identity is mapped in another workspace; remove it there first.");
    return c.body(null, 204);
  });
  app.openapi(unmap, async (c) => {
    const { provider, externalId } = c.req.valid("param");
    const removed = await unmapIdentity({ ctx: actingContext(c), input: { provider, externalId } });
    if (!removed) throw new ApiError("not_found", "No such identity mapping. GET /v1/users lists them.");
    return c.body(null, 204);
  });
}
