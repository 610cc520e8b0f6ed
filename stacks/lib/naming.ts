import type { EnvironmentConfig } from '../../config';

/** Builds every cloud resource name, so names stay `<prefix>-<env>-<part>...` everywhere. */
export class Naming {
  constructor(private readonly config: Pick<EnvironmentConfig, 'prefix' | 'name'>) {}

  /** `orders-prod-orders-table` style: lowercase, dash-separated. */
  resource(...parts: string[]): string {
    const name = [this.config.prefix, this.config.name, ...parts].join('-');
    if (!/^[a-z0-9-]+$/.test(name)) {
      throw new Error(`Resource name "${name}" may only contain lowercase letters, digits and dashes`);
    }
    return name;
  }

  /** Names capped by AWS (IAM roles: 64 characters) fail at synth instead of at apply. */
  limited(maxLength: number, ...parts: string[]): string {
    const name = this.resource(...parts);
    if (name.length > maxLength) {
      throw new Error(`Resource name "${name}" is ${name.length} characters; the limit is ${maxLength}`);
    }
    return name;
  }

  /** An AppSync, Cognito or KMS alias name may not use dashes everywhere; this is the underscore form. */
  underscored(...parts: string[]): string {
    return this.resource(...parts).replace(/-/g, '_');
  }

  /** A log group path under a service prefix: `/aws/<service>/<name>`. */
  logGroup(service: string, ...parts: string[]): string {
    return `/aws/${service}/${this.resource(...parts)}`;
  }
}
