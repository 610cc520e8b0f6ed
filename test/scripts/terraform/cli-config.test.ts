import { cliConfig } from '../../../scripts/terraform/cli-config';

describe('terraform CLI config', () => {
  it('installs HashiCorp providers from the mirror only', () => {
    expect(cliConfig('/opt/tf-plugins')).toBe(
      [
        'provider_installation {',
        '  filesystem_mirror {',
        '    path    = "/opt/tf-plugins"',
        '    include = ["registry.terraform.io/hashicorp/*"]',
        '  }',
        '  direct {',
        '    exclude = ["registry.terraform.io/hashicorp/*"]',
        '  }',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('leaves installation to the registries without a mirror', () => {
    expect(cliConfig(undefined)).not.toContain('provider_installation');
  });
});
