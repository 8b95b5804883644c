// Types of validators.js, which scripts/build-catalog.mjs generates at build time.

/** The built-in generators' schemas, in the order of the validators (after core's own schemas). */
export declare const schemas: object[];
