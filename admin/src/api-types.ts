// The admin API's response shapes, shared with the server code that builds them (types only, erased at build).
export type { DashboardOverview } from '../../src/admin-api/dashboard-overview';
export type { MaskedConfig } from '../../src/admin-api/masked-config';
export type { TransportName } from '../../src/observability/vocabulary';
