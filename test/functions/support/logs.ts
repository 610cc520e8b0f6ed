import { logger } from '../../../functions/lib/logger';

/**
 * Runs `work` with the functions' logger at INFO and returns the JSON lines it wrote to stdout and stderr
 * (Powertools writes each log item as one line of JSON, errors to stderr).
 */
export async function captureLogs(work: () => Promise<unknown>): Promise<Record<string, unknown>[]> {
  const lines: string[] = [];
  const capture = ((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  }) as typeof process.stdout.write;
  const spies = [jest.spyOn(process.stdout, 'write').mockImplementation(capture), jest.spyOn(process.stderr, 'write').mockImplementation(capture)];
  logger.setLogLevel('INFO');
  try {
    await work();
  } finally {
    logger.setLogLevel('SILENT');
    spies.forEach((spy) => spy.mockRestore());
  }
  return lines
    .join('')
    .split('\n')
    .filter((line) => line.trim().startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}
