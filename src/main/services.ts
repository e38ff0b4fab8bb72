/**
 * Creates the app's back end (AppServices) with Electron's native dialogs and folders: the store
 * under the user-data folder, the worker pool on electron-vite's bundled worker chunk, the
 * embedded MNIST cache from the resources. onnxruntime is loaded lazily by the services, in this
 * (main) thread only.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { app, BrowserWindow, dialog, shell } from 'electron';
import workerPath from '../engine/parallel/worker?modulePath';
import { AppServices, type Dialogs } from '../services/app/app-services.js';
import { embeddedDataDir, unpackedWorkerPath } from './paths.js';

const FILTERS: Record<'csv' | 'idx-images' | 'idx-labels', Electron.FileFilter[]> = {
  csv: [{ name: 'CSV', extensions: ['csv', 'tsv', 'txt'] }],
  'idx-images': [{ name: 'IDX images', extensions: ['gz', 'idx3-ubyte', 'ubyte', 'idx'] }],
  'idx-labels': [{ name: 'IDX labels', extensions: ['gz', 'idx1-ubyte', 'ubyte', 'idx'] }],
};

function dialogs(): Dialogs {
  const parent = () => BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0];
  return {
    async chooseDataFile(kind) {
      const r = await dialog.showOpenDialog(parent(), {
        properties: ['openFile'],
        filters: [...FILTERS[kind], { name: 'All files', extensions: ['*'] }],
      });
      return r.canceled ? null : (r.filePaths[0] ?? null);
    },
    async openExperimentFile() {
      const r = await dialog.showOpenDialog(parent(), {
        properties: ['openFile'],
        filters: [{ name: 'Ablate experiment', extensions: ['json'] }],
      });
      return r.canceled ? null : (r.filePaths[0] ?? null);
    },
    async saveFile(suggestedName, data) {
      const r = await dialog.showSaveDialog(parent(), { defaultPath: suggestedName });
      if (r.canceled || !r.filePath) return null;
      await writeFile(r.filePath, data);
      return r.filePath;
    },
    async openFolder(folder) {
      const error = await shell.openPath(folder);
      if (error) throw new Error(`could not open ${folder}: ${error}`);
    },
    async trashItem(folder) {
      await shell.trashItem(folder);
    },
  };
}

export function createServices(): AppServices {
  return new AppServices({
    storeRoot: path.join(app.getPath('userData'), 'experiments'),
    workerPath: unpackedWorkerPath(workerPath, app.isPackaged),
    embeddedDir: embeddedDataDir({ isPackaged: app.isPackaged, resourcesPath: process.resourcesPath, appPath: app.getAppPath() }),
    appVersion: app.getVersion(),
    dialogs: dialogs(),
  });
}
