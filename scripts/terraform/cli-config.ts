/**
 * A Terraform CLI configuration that installs HashiCorp providers from a filesystem mirror
 * only (nothing is fetched, so it works offline) and everything else from its registry.
 * Without a mirror, providers come from the public registry as usual.
 */
export function cliConfig(mirror: string | undefined): string {
  if (!mirror) return '# No provider mirror: providers are installed from their registries.\n';
  return [
    'provider_installation {',
    '  filesystem_mirror {',
    `    path    = ${JSON.stringify(mirror)}`,
    '    include = ["registry.terraform.io/hashicorp/*"]',
    '  }',
    '  direct {',
    '    exclude = ["registry.terraform.io/hashicorp/*"]',
    '  }',
    '}',
    '',
  ].join('\n');
}
