/**
 * Ablate's main process: the Electron glue. It owns the window, the app protocol and the IPC
 * handlers; the real work lives in services and the engine, which know nothing of Electron.
 */
import path from 'node:path';
import { app, BrowserWindow } from 'electron';
import { devServerUrl } from './dev-server.js';
import { registerIpcHandlers } from './ipc.js';
import { handleAppProtocol, registerAppScheme } from './protocol.js';
import { hardenApp } from './security.js';
import { createMainWindow } from './window.js';

// A second launch focuses the running instance instead of racing it for the same store.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  start();
}

function start(): void {
  // Both must happen before 'ready'.
  app.enableSandbox();
  registerAppScheme();

  let mainWindow: BrowserWindow | null = null;
  const open = (): void => {
    mainWindow = createMainWindow(devServerUrl());
    mainWindow.on('closed', () => {
      mainWindow = null;
    });
  };

  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  void app.whenReady().then(() => {
    hardenApp();
    // Built layout: out/main/index.js beside out/renderer/.
    handleAppProtocol(path.join(import.meta.dirname, '../renderer'));
    registerIpcHandlers(devServerUrl());
    open();
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) open();
    });
  });
}
