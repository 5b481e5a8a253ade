import type { IncomingMessage } from 'node:http';
import type { PinoLogger } from 'nestjs-pino';
import pino from 'pino';
import { loggerModuleParams, requestLog } from './request-logging';

describe('request logging', () => {
  const lines: Record<string, unknown>[] = [];
  const root = pino({ base: undefined }, { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) });
  const logger = { logger: root } as unknown as PinoLogger;
  beforeEach(() => lines.splice(0));

  it('mounts pino-http only when request lines are logged', () => {
    expect(loggerModuleParams('info', 'i').forRoutes).toBeUndefined();
    expect(loggerModuleParams('warn', 'i').forRoutes).toEqual([]);
    expect(loggerModuleParams('error', 'i').forRoutes).toEqual([]);
  });

  it('without pino-http, binds the request id, method and path (never the headers) to an error line', () => {
    const request = { method: 'POST', url: '/api/flags/f/environments/production/toggle', headers: { authorization: 'Bearer fp_secret' } } as unknown as IncomingMessage;
    requestLog(request, logger).error({ err: new Error('boom') }, 'unhandled error');
    requestLog(request, logger).error('again');
    const [first, second] = lines;
    expect(first).toMatchObject({ msg: 'unhandled error', req: { method: 'POST', url: '/api/flags/f/environments/production/toggle' }, err: { message: 'boom' } });
    expect(typeof (first?.req as { id?: unknown }).id).toBe('number');
    expect((second?.req as { id?: unknown }).id).toBe((first?.req as { id?: unknown }).id);
    expect(JSON.stringify(lines)).not.toContain('fp_secret');
  });

  it("uses pino-http's request logger when it ran", () => {
    const bound = root.child({ req: { id: 41 } });
    const request = { method: 'GET', url: '/', log: bound } as unknown as IncomingMessage;
    expect(requestLog(request, logger)).toBe(bound);
  });
});
