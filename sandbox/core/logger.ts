/** Log lines of one sandbox component, tagged with its name. */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** Where log lines go; tests collect them, the CLI prints them. */
export type LogSink = (line: { level: 'info' | 'warn' | 'error'; component: string; message: string; fields?: Record<string, unknown> }) => void;

/** Prints `[component] message {fields}` to stderr, so stdout stays for the banner. */
export const consoleSink: LogSink = ({ level, component, message, fields }) => {
  const suffix = fields && Object.keys(fields).length > 0 ? ` ${JSON.stringify(fields)}` : '';
  process.stderr.write(`${level === 'info' ? '' : `${level.toUpperCase()} `}[${component}] ${message}${suffix}\n`);
};

/** A logger for one component writing to a sink. */
export function createLogger(component: string, sink: LogSink): Logger {
  return {
    info: (message, fields) => sink({ level: 'info', component, message, fields }),
    warn: (message, fields) => sink({ level: 'warn', component, message, fields }),
    error: (message, fields) => sink({ level: 'error', component, message, fields }),
  };
}
