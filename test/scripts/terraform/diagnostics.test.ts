import { formatDiagnostic, parsePlanOutput, relevantDiagnostics, summarizeWarnings, type Diagnostic } from '../../../scripts/terraform/diagnostics';

describe('diagnostics', () => {
  const error: Diagnostic = {
    severity: 'error',
    summary: 'Unsupported attribute',
    detail: 'This object does not have an attribute named "nope".',
    address: 'aws_lambda_function.fn',
    range: { filename: 'cdk.tf.json', start: { line: 41 } },
    snippet: { context: 'resource.aws_lambda_function.fn', code: '"role": "${aws_iam_role.fn.nope}",', start_line: 41 },
  };

  it('lays out an error like Terraform: summary, place, code, detail', () => {
    expect(formatDiagnostic(error, '  ')).toBe(
      [
        '  Error: Unsupported attribute',
        '    on cdk.tf.json line 41, in resource.aws_lambda_function.fn:',
        '    41: "role": "${aws_iam_role.fn.nope}",',
        '',
        '    This object does not have an attribute named "nope".',
      ].join('\n'),
    );
  });

  it('reads diagnostics and the change summary from plan -json output', () => {
    const lines = [
      JSON.stringify({ type: 'version', terraform: '1.11.4' }),
      JSON.stringify({ type: 'diagnostic', diagnostic: error }),
      JSON.stringify({ type: 'change_summary', changes: { add: 7, change: 0, remove: 0, operation: 'plan' } }),
      'panic: something odd',
    ];
    expect(parsePlanOutput(lines.join('\n'))).toEqual({
      diagnostics: [error],
      changes: { add: 7, change: 0, remove: 0, operation: 'plan' },
      otherOutput: ['panic: something odd'],
    });
  });

  it('drops warnings about the override file but never errors', () => {
    const own = (severity: 'error' | 'warning'): Diagnostic => ({ severity, summary: 's', range: { filename: 'zz_validate_override.tf.json', start: { line: 1 } } });
    expect(relevantDiagnostics([own('warning'), own('error'), error])).toEqual([own('error'), error]);
  });

  it('gives one line per distinct warning, naming each address', () => {
    const deprecated = (address: string): Diagnostic => ({
      severity: 'warning',
      summary: 'Argument is deprecated',
      detail: 'inline_policy is deprecated. Use the aws_iam_role_policy resource instead.',
      address,
    });
    expect(summarizeWarnings([deprecated('aws_iam_role.a'), deprecated('aws_iam_role.b'), error], '  ')).toEqual([
      '  warning: Argument is deprecated (aws_iam_role.a, aws_iam_role.b): inline_policy is deprecated.',
    ]);
  });
});
