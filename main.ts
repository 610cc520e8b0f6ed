import { App } from 'cdktf';
import { DEFAULT_ENVIRONMENT, loadEnvironment } from './config';
import { createPlatform } from './stacks/platform';

// The environment comes from PLATFORM_ENV, or from an `env` entry in cdktf.json's context.
const app = new App();
const fromContext = app.node.tryGetContext('env') as string | undefined;
const config = loadEnvironment(process.env.PLATFORM_ENV ?? fromContext ?? DEFAULT_ENVIRONMENT);
createPlatform(app, config);
app.synth();
