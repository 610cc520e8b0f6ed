import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { freePort } from '../../../sandbox/core/sandbox';
import { COGNITO_LOCAL_BIN, LAUNCHER, startCognitoLocal } from '../../../sandbox/services/cognito/emulator';
import { tempDir } from './fixture';
import { isAlive } from '../../../sandbox/core/processes';

const quietLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

async function eventually(condition: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

describe('startCognitoLocal', () => {
  const dir = tempDir('cognito-emulator-');
  afterAll(() => dir.cleanup());

  it("reports cognito-local's own output when it cannot start", async () => {
    const blocker = createServer().listen(0, '127.0.0.1');
    await once(blocker, 'listening');
    const port = (blocker.address() as { port: number }).port;
    try {
      await expect(startCognitoLocal({ dir: dir.path, host: '127.0.0.1', port, issuerDomain: 'http://127.0.0.1:1', logger: quietLogger })).rejects.toThrow(
        /^cognito-local exited \(code 1\) before answering\. Its output:\n[\s\S]*EADDRINUSE/,
      );
    } finally {
      blocker.close();
    }
  });

  // The sandbox process, not the test runner, is the parent here, so it can be killed outright; it
  // spawns exactly as startCognitoLocal does.
  it('ends cognito-local when the sandbox process dies without stopping it', async () => {
    const port = await freePort('127.0.0.1');
    const sandboxProcess = spawn(
      process.execPath,
      [
        '-e',
        `const child = require('node:child_process').spawn(process.execPath, ['-e', ${JSON.stringify(LAUNCHER)}, ${JSON.stringify(COGNITO_LOCAL_BIN)}], {
          cwd: ${JSON.stringify(dir.path)}, env: { ...process.env, PORT: '${port}', HOST: '127.0.0.1' }, stdio: ['ignore', 'ignore', 'ignore', 'ipc'] });
        console.log(child.pid);
        setInterval(() => undefined, 1000);`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const [firstOutput] = (await once(sandboxProcess.stdout, 'data')) as [Buffer];
    const pid = Number(firstOutput.toString().trim());
    const answers = () =>
      fetch(`http://127.0.0.1:${port}/health`).then(
        (response) => response.ok,
        () => false,
      );

    expect(await eventually(answers, 15_000)).toBe(true);
    sandboxProcess.kill('SIGKILL');
    expect(await eventually(() => !isAlive(pid), 5_000)).toBe(true);
  });
});
