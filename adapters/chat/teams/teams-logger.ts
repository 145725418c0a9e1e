/** The few logger calls the Teams adapter makes; a pino logger fits. */
export interface TeamsLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export const silentLogger: TeamsLogger = { info() {}, warn() {}, error() {} };
