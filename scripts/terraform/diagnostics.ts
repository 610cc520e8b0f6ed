import { OVERRIDE_FILE } from './override';

/** A diagnostic as `terraform validate -json` and `terraform plan -json` write it. */
export interface Diagnostic {
  readonly severity: 'error' | 'warning';
  readonly summary: string;
  readonly detail?: string;
  readonly address?: string;
  readonly range?: { readonly filename: string; readonly start: { readonly line: number } };
  readonly snippet?: { readonly context?: string | null; readonly code: string; readonly start_line: number };
}

/** Resource changes from a plan's `change_summary` message. */
export interface ChangeSummary {
  readonly add: number;
  readonly change: number;
  readonly remove: number;
}

/** What `terraform plan -json` reported. */
export interface PlanReport {
  readonly diagnostics: Diagnostic[];
  readonly changes?: ChangeSummary;
  /** Lines that were not JSON messages (a crash, say). */
  readonly otherOutput: string[];
}

/** Reads the JSON lines of `terraform plan -json`. */
export function parsePlanOutput(stdout: string): PlanReport {
  const diagnostics: Diagnostic[] = [];
  const otherOutput: string[] = [];
  let changes: ChangeSummary | undefined;
  for (const line of stdout.split('\n')) {
    if (!line.trim()) continue;
    let message: { type?: string; diagnostic?: Diagnostic; changes?: ChangeSummary };
    try {
      message = JSON.parse(line);
    } catch {
      otherOutput.push(line);
      continue;
    }
    if (message.type === 'diagnostic' && message.diagnostic) diagnostics.push(message.diagnostic);
    if (message.type === 'change_summary' && message.changes) changes = message.changes;
  }
  return { diagnostics, changes, otherOutput };
}

/**
 * Diagnostics worth showing: warnings about the validation override itself (an empty
 * `role_arn` standing in for a role to assume, say) are dropped; errors never are.
 */
export function relevantDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return diagnostics.filter((d) => d.severity === 'error' || d.range?.filename !== OVERRIDE_FILE);
}

/** A diagnostic laid out like Terraform's own, every line starting with `indent`. */
export function formatDiagnostic(d: Diagnostic, indent = '    '): string {
  const lines = [`${d.severity === 'error' ? 'Error' : 'Warning'}: ${d.summary}`];
  if (d.range) {
    const where = d.snippet?.context ? `, in ${d.snippet.context}` : d.address ? `, in ${d.address}` : '';
    lines.push(`  on ${d.range.filename} line ${d.range.start.line}${where}:`);
    if (d.snippet) {
      const code = d.snippet.code.split('\n');
      const width = String(d.snippet.start_line + code.length - 1).length;
      code.forEach((text, i) => lines.push(`  ${String(d.snippet!.start_line + i).padStart(width)}: ${text}`));
    }
  } else if (d.address) {
    lines.push(`  with ${d.address}`);
  }
  if (d.detail) lines.push('', ...d.detail.split('\n').map((l) => `  ${l}`));
  return lines.map((l) => (l ? indent + l : l)).join('\n');
}

/** One line per distinct warning, naming every address it was raised for. */
export function summarizeWarnings(diagnostics: readonly Diagnostic[], indent = '    '): string[] {
  const groups = new Map<string, { summary: string; detail: string; addresses: Set<string> }>();
  for (const d of diagnostics) {
    if (d.severity !== 'warning') continue;
    const detail = (d.detail ?? '').split(/\n\n|(?<=\.)\s/)[0].trim();
    const key = `${d.summary}\n${detail}`;
    const group = groups.get(key) ?? { summary: d.summary, detail, addresses: new Set<string>() };
    if (d.address) group.addresses.add(d.address);
    groups.set(key, group);
  }
  return [...groups.values()].map((g) => {
    const where = g.addresses.size > 0 ? ` (${[...g.addresses].join(', ')})` : '';
    return `${indent}warning: ${g.summary}${where}${g.detail ? `: ${g.detail}` : ''}`;
  });
}
