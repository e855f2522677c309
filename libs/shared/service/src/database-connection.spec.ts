import { BaseServiceConfig, loadConfig } from '@member-system/shared/config';
import { replicaSettingsOf } from './database-connection';

describe(replicaSettingsOf.name, () => {
  const sut = replicaSettingsOf;
  const primary = {
    MYSQL_USER: 'member',
    MYSQL_PASSWORD: 'primary-secret',
    MYSQL_DATABASE: 'point_service',
  };

  it('has no replica without MYSQL_REPLICA_HOST', () => {
    expect(sut(loadConfig(BaseServiceConfig, primary))).toBeUndefined();
  });

  it("reads the service's schema on the replica with the primary's credentials by default", () => {
    const config = loadConfig(BaseServiceConfig, {
      ...primary,
      MYSQL_REPLICA_HOST: 'mysql-replica',
    });

    expect(sut(config)).toEqual({
      host: 'mysql-replica',
      port: 3306,
      username: 'member',
      password: 'primary-secret',
      database: 'point_service',
      poolSize: 10,
    });
  });

  it('uses the replica user and password when they are given', () => {
    const config = loadConfig(BaseServiceConfig, {
      ...primary,
      MYSQL_REPLICA_HOST: 'mysql-replica',
      MYSQL_REPLICA_PORT: '3307',
      MYSQL_REPLICA_USER: 'reader',
      MYSQL_REPLICA_PASSWORD: 'reader-secret',
      MYSQL_REPLICA_POOL_SIZE: '4',
    });

    expect(sut(config)).toMatchObject({
      port: 3307,
      username: 'reader',
      password: 'reader-secret',
      poolSize: 4,
    });
  });
});
