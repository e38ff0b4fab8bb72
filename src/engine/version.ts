/** The engine's version, recorded in every run's files and in exported models. */
export const ENGINE_NAME = 'ablate-engine';
export const ENGINE_VERSION = '0.1.0';
