// What every listener shares: who the Slack user is in Reckon, and turning any failure into a short answer.
import { AccessDenied, actAsIdentity, type ServiceContext, type TenantContext } from "@reckon/core";
import type { KnownBlock } from "@slack/types";
import { section } from "./blocks/kit";

export interface SlackUserRef {
  teamId: string;
  userId: string;
}

/** The identity an admin maps in Reckon (Settings, users): "<team id>:<user id>". */
export const slackExternalId = (user: SlackUserRef) => `${user.teamId}:${user.userId}`;

/** The mapped Reckon user's context, or null: an unmapped Slack user is told how to get mapped. */
export function actAsSlackUser(base: ServiceContext, user: SlackUserRef, requestId?: string) {
  return actAsIdentity(base, { provider: "slack", externalId: slackExternalId(user) }, requestId);
}

export function unmappedBlocks(user: SlackUserRef): KnownBlock[] {
  return [
    section(
      `Your Slack account is not linked to a Reckon user yet, so Reckon cannot tell which accounts are yours. Ask a Reckon admin to map Slack id \`${slackExternalId(user)}\` to you (Settings, Users).`,
    ),
  ];
}

export interface Answer {
  text: string;
  blocks: KnownBlock[];
}

/** The one place a listener's failure becomes words: never silence, never a stack trace. */
export function failureAnswer(error: unknown, base: ServiceContext, requestId: string): Answer {
  if (error instanceof AccessDenied) {
    return { text: error.message, blocks: [section(`:no_entry: ${error.message}`)] };
  }
  base.log.error({ err: error, requestId }, "slack listener failed");
  const text = `Something went wrong on Reckon's side (request ${requestId}). Try again in a minute; if it keeps happening, tell your Reckon admin that id.`;
  return { text, blocks: [section(`:warning: ${text}`)] };
}

export type ActingContext = TenantContext;
