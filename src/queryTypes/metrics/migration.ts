import { migrateQuery } from '../../netdata/migrate';
import type { NetdataQuery } from '../../types';

/**
 * A saved Grafana query in the current shape (Netdata's own plugin fields, single-string lists and aliases are
 * rewritten by the core's `migrateQuery`); refId, datasource and hide are kept. Values the core cannot read stay
 * as they are, for the backend to report.
 */
export function migrateNetdataQuery(query: NetdataQuery): NetdataQuery {
  return migrateQuery({ ...query }) as unknown as NetdataQuery;
}
