/**
 * The data layer's public surface: the dataset model, DataSpec and its validator, loading through
 * the source registry, and preparation (splits, preprocessing). See docs/data.md.
 */
export * from './dataset.js';
export * from './spec.js';
export type { DataSourceDef, LoadContext } from './source.js';
export { validateDataSpec } from './validate.js';
export { DATA_SOURCE_NAMES, getDataSource } from './registry.js';
export { absoluteDataPaths, dataFilePaths } from './paths.js';
export { loadDataset, loadPrepared } from './load.js';
export { defaultDatasetMemoryLimit, formatBytes } from './limits.js';
export { prepare, type PreparedData } from './prepare.js';
export { fitPreprocess, applyPreprocess, type PreprocessStats } from './scale.js';
export { makeSplits } from './split.js';
export { makeSynthetic, type SyntheticParams } from './synthetic.js';
export { loadIdxPair } from './idx-pair.js';
export { loadEmbeddedMnist, MNIST_IMAGES_FILE, MNIST_LABELS_FILE } from './mnist.js';
export { loadCsv, type CsvOptions } from './csv/load.js';
