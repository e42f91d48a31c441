/** Keydeck's store: open one, its schema, and its migrations. */
export { openStore, redactUrl, type Backend, type Store, type StoreOptions } from './open';
export type { Database } from './schema';
