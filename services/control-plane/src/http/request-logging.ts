import { hostname } from 'node:os';
import type { IncomingMessage } from 'node:http';
import type { Params, PinoLogger } from 'nestjs-pino';
import type { Logger } from 'pino';

const REQUEST_LINE_LEVELS = new Set(['info', 'debug', 'trace']);
const MAX_REQUEST_ID = 2_147_483_647;
let lastRequestId = 0;

/**
 * nestjs-pino settings. A line per request is logged at `info` and below; then pino-http binds
 * every request to its own child logger. Above `info` no such line is written, yet pino-http
 * would still build that child (serialising and redacting the request) and nestjs-pino would
 * open an AsyncLocalStorage context per request, which turns on promise hooks for the whole
 * process: together ~8 % of a command's CPU (bench/commands/README.md). So then the middleware
 * is not mounted at all, and the few lines logged about one request bind it themselves
 * (`requestLog`).
 */
export function loggerModuleParams(logLevel: string, instanceId: string): Params {
  const requestLines = REQUEST_LINE_LEVELS.has(logLevel);
  return {
    pinoHttp: {
      level: logLevel,
      // On every line, in a request or not (writer, Kafka, lease), at no per-line cost.
      base: { pid: process.pid, hostname: hostname(), instance: instanceId },
      autoLogging: requestLines ? { ignore: (req: IncomingMessage) => req.url?.startsWith('/health') ?? false } : false,
      redact: ['req.headers.authorization'],
    },
    forRoutes: requestLines ? undefined : [],
  };
}

/**
 * The logger for a line about one request: pino-http's child when it ran (the request is bound
 * to it), otherwise the root logger with the request's id (numbered like pino-http's, but only
 * for requests that get logged), method and path. Never the headers: they carry the bearer token.
 */
export function requestLog(request: IncomingMessage, logger: PinoLogger): Logger {
  const { log, id } = request as { log?: Logger; id?: IncomingMessage['id'] };
  if (log) return log;
  if (id === undefined) {
    lastRequestId = (lastRequestId % MAX_REQUEST_ID) + 1;
    request.id = lastRequestId;
  }
  // Express rewrites `url` under mounted routers; `originalUrl` is what the client asked for.
  const url = (request as { originalUrl?: string }).originalUrl ?? request.url;
  return logger.logger.child({ req: { id: request.id, method: request.method, url } });
}
