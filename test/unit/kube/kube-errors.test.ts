import { KubeApiError, toCollectError } from '../../../adapters/kube/kube-errors.js';

const rule = { verb: 'list', target: 'velero.io backups in namespace velero' };
const http = (code: number) => new KubeApiError('Http', `HTTP ${code}`, 'GET /x', code);

describe('toCollectError', () => {
  it.each([
    [new KubeApiError('Unreachable', 'ECONNREFUSED', 'GET /x'), 'ClusterUnreachable', undefined],
    [new KubeApiError('Timeout', 'slow', 'GET /x'), 'Timeout', undefined],
    [http(403), 'Forbidden', 'list velero.io backups in namespace velero'],
    [http(401), 'Forbidden', 'list velero.io backups in namespace velero'],
    [http(404), 'NotFound', undefined],
    [http(500), 'ApiError', undefined],
    [new Error('boom'), 'ApiError', undefined],
  ])('%s → %s', (err, reason, missingRule) => {
    const e = toCollectError(err, rule);
    expect(e.reason).toBe(reason);
    expect(e.missingRule).toBe(missingRule);
  });

  it('says which code an ApiError had', () => {
    expect(toCollectError(http(503), rule).message).toContain('HTTP 503');
  });
});
