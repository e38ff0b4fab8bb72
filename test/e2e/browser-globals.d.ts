/**
 * Browser globals for the code that tests pass to playwright's page.evaluate / addInitScript: it
 * runs in the page, not in Node. Typed loosely on purpose: the Node-side test project must not pull
 * in lib.dom (whose WebAssembly types clash with the engine's Node-only declarations).
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
declare const window: any;
declare const document: any;
declare const getComputedStyle: any;
