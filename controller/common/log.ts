// The one logger of every role: one JSON object per line on stderr, filtered by level — what
// `kubectl logs` and log shippers expect. `{"time":...,"level":"info","msg":...,...fields}`.

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = typeof LOG_LEVELS[number];

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export type Logger = Record<LogLevel, (msg: string, fields?: Record<string, unknown>) => void>;

export function createLogger(level: LogLevel, write: (line: string) => void = (l) => process.stderr.write(l), now: () => Date = () => new Date()): Logger {
  const make = (l: LogLevel) => (msg: string, fields?: Record<string, unknown>) => {
    if (ORDER[l] < ORDER[level]) return;
    write(JSON.stringify({ time: now().toISOString(), level: l, msg, ...fields }) + '\n');
  };
  return { debug: make('debug'), info: make('info'), warn: make('warn'), error: make('error') };
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
