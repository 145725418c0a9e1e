/**
 * `describe` for tests that need the real CRDs: anything that asserts the fake Kubernetes API accepted or
 * refused an object by its schema, or calls assertValidAgainstCrds. With the CRDs found (see crd-locator.ts)
 * the suite runs as written; without them it is registered as skipped, its name says why, and the run's
 * summary lists it. Nothing fails and nothing pretends to validate.
 *
 *   import { describeWithCrds } from '../../support/describe-with-crds.js';
 *   describeWithCrds('Restore bodies match the real CRD', () => { it(...); });
 *
 * Keep tests that do not need the CRDs outside it, so a CRD-less run still runs them.
 */
import { crdLocation, recordSkippedSuite } from './crd-locator.js';

export function describeWithCrds(name: string, fn: () => void): void {
  const crds = crdLocation();
  if (crds.found) {
    describe(name, fn);
    return;
  }
  recordSkippedSuite(name);
  describe.skip(`${name} [skipped: needs the real CRDs, not found; run \`npm run crds\`]`, fn);
}
