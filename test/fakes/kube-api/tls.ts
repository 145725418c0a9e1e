/** A throwaway CA and a server certificate for 127.0.0.1/localhost signed by it (made once per process). */
import { generate } from 'selfsigned';

export interface FakeTls {
  caCert: string;
  key: string;
  cert: string;
}

let pending: Promise<FakeTls> | undefined;

async function make(): Promise<FakeTls> {
  const notAfterDate = new Date(Date.now() + 7 * 24 * 3600 * 1000);
  const ca = await generate([{ name: 'commonName', value: 'fake-kube-api CA' }], {
    keyType: 'ec',
    notAfterDate,
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  const server = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
    keyType: 'ec',
    notAfterDate,
    algorithm: 'sha256',
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
        ],
      },
    ],
  });
  return { caCert: ca.cert, key: server.private, cert: server.cert };
}

export function fakeTls(): Promise<FakeTls> {
  pending ??= make();
  return pending;
}
