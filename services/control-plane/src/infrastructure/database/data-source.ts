import { DataSource } from 'typeorm';
import { WriterLease1763800000000 } from './migrations/1763800000000-writer-lease';

/** The control plane's schema is only ever changed by these migrations, never synchronised. */
export const controlPlaneMigrations = [WriterLease1763800000000];

export function controlPlaneDataSource(url: string): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    migrations: controlPlaneMigrations,
    migrationsTableName: 'control_plane_migrations',
    synchronize: false,
    extra: { max: 4, application_name: 'flagpole-control-plane' },
  });
}
