/** The embedded database backend (`--db memory`); filled in by the memory module. */
export {};
