/** Renders an `aws_iam_policy_document` data source as the JSON policy AWS would receive. */
export function policyDocumentJson(config: Record<string, unknown>): string {
  const statements = (config.statement ?? []) as Record<string, unknown>[];
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: statements.map((statement) => {
      const rendered: Record<string, unknown> = { Effect: statement.effect ?? 'Allow' };
      if (statement.sid) rendered.Sid = statement.sid;
      if (statement.actions) rendered.Action = statement.actions;
      if (statement.resources) rendered.Resource = statement.resources;
      const principals = (statement.principals ?? []) as { type: string; identifiers: string[] }[];
      if (principals.length > 0) rendered.Principal = Object.fromEntries(principals.map((principal) => [principal.type, principal.identifiers]));
      const conditions = (statement.condition ?? []) as { test: string; variable: string; values: string[] }[];
      if (conditions.length > 0) {
        const grouped: Record<string, Record<string, string[]>> = {};
        for (const condition of conditions) (grouped[condition.test] ??= {})[condition.variable] = condition.values;
        rendered.Condition = grouped;
      }
      return rendered;
    }),
  });
}
