// dynalite 4 ships no typings; this is the part of its CommonJS export the endpoint uses.
declare module 'dynalite' {
  import type { Server } from 'node:http';

  interface DynaliteOptions {
    /** Milliseconds a new table stays CREATING (default 500). */
    createTableMs?: number;
    deleteTableMs?: number;
    updateTableMs?: number;
    maxItemSizeKb?: number;
    /** A LevelDB directory; in memory when left out. */
    path?: string;
  }

  /** An HTTP server (not yet listening) whose request listener speaks DynamoDB's JSON 1.0. */
  function dynalite(options?: DynaliteOptions): Server;
  export default dynalite;
}
