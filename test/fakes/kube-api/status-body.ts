/** `Status` bodies exactly as a real API server sends them with error responses. */

const REASONS: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  409: 'AlreadyExists',
  422: 'Invalid',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  causes?: { reason: string; message: string; field: string }[];
}

export interface KubeStatus {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure';
  message: string;
  reason: string;
  details?: StatusDetails;
  code: number;
}

export function statusBody(
  code: number,
  message: string,
  details?: StatusDetails,
  reason?: string,
): KubeStatus {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason: reason ?? REASONS[code] ?? 'Unknown',
    ...(details ? { details } : {}),
    code,
  };
}

/** Thrown inside request handling; turned into a Status response. */
export class StatusError extends Error {
  constructor(readonly body: KubeStatus) {
    super(body.message);
  }
}

export function fail(code: number, message: string, details?: StatusDetails, reason?: string): never {
  throw new StatusError(statusBody(code, message, details, reason));
}
