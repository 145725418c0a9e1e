/**
 * Preloaded into a dpbot child process (`node --import tsx --import ./test/support/crash-after-create.ts`):
 * SIGKILLs it right after a Velero object was created and before that was recorded, to prove a
 * restarted worker meets 409 and carries on. Production wiring knows nothing of it.
 */
import { KubeVeleroActions } from '../../adapters/kube/velero-actions.js';

const create = KubeVeleroActions.prototype.create;
KubeVeleroActions.prototype.create = async function (this: KubeVeleroActions, ...args) {
  const made = await create.apply(this, args);
  if (made.created) process.kill(process.pid, 'SIGKILL');
  return made;
};
