/** `npm run crds`: fills test/.crds/ from the pinned upstream files; never part of `npm ci`. */

import { CrdDownloadError, downloadCrds, sourceUrl } from './crd-download.js';
import { readCrdLock, repoRoot } from './crd-locator.js';

const root = repoRoot();
const lock = readCrdLock(root);
const upstream = process.env.DPBOT_CRDS_UPSTREAM || undefined;
console.log(
  `crds: downloading ${lock.length} CRD files from ${new URL(sourceUrl(lock[0], upstream)).origin} into test/.crds/ (pinned in test/crds.lock.json)`,
);
downloadCrds({ root, lock, upstream, log: (line) => console.log(line) }).then(
  (dest) =>
    console.log(`crds: done, ${lock.length} files in ${dest}; \`npm test\` now validates against them`),
  (err: unknown) => {
    // One line: the reason, never a stack trace.
    console.error(`crds: ${err instanceof CrdDownloadError ? err.message : String(err)}`);
    process.exitCode = 1;
  },
);
