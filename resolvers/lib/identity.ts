import { util, type Context } from '@aws-appsync/utils';

/** Cognito group whose members may read every order and manage the catalogue. */
export const ADMIN_GROUP = 'admin';

/** A signed-in person, from their Cognito token. */
export type Caller = { sub: string; isAdmin: boolean };

/** The Cognito caller; anything else (IAM, no identity) is unauthorized. */
export function requireUser(ctx: Context): Caller {
  const identity = ctx.identity as { sub?: string; groups?: string[] | null } | null | undefined;
  if (!identity || !identity.sub) util.unauthorized();
  const groups = (identity && identity.groups) || [];
  return { sub: (identity as { sub: string }).sub, isAdmin: groups.indexOf(ADMIN_GROUP) >= 0 };
}

/** Like {@link requireUser} but only for members of the admin group. */
export function requireAdmin(ctx: Context): Caller {
  const caller = requireUser(ctx);
  if (!caller.isAdmin) util.unauthorized();
  return caller;
}
