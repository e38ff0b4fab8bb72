/**
 * Ablate's main process: the Electron glue. It owns the window, the app protocol and the IPC
 * handlers; the real work lives in services and the engine, which know nothing of Electron.
 */
import path from 'node:path';
import { app, BrowserWindow } from 'electron';
import { devServerUrl } from './dev-server.js';
import { forwardEvents, registerIpcHandlers } from './ipc.js';
import { installMenu } from './menu.js';
import { createServices } from './services.js';
import { selfTestArgs } from './paths.js';
import { handleAppProtocol, registerAppScheme } from './protocol.js';
import { hardenApp } from './security.js';
import { createMainWindow } from './window.js';

// `--self-test` (the release workflow's smoke test of a packaged app): no window and no
// single-instance lock, so it neither focuses nor blocks a running Ablate; it exits by itself.
// Loaded only then, so a normal start does not load the self-test's services.
if (selfTestArgs(process.argv).enabled) {
  import('./self-test.js')
    .then((m) => m.runSelfTestAndExit())
    .catch((err: unknown) => {
      // The self-test module itself failed to load (e.g. a native module did not): still report.
      const error = err instanceof Error ? (err.stack ?? err.message) : String(err);
      setTimeout(() => app.exit(1), 2000);
      process.stdout.write(JSON.stringify({ selfTest: 'ablate', ok: false, error }) + '\n', () => app.exit(1));
    });
} else if (!app.requestSingleInstanceLock()) {
  // A second launch focuses the running instance instead of racing it for the same store.
  app.quit();
} else {
  start();
}

function start(): void {
  // Both must happen before 'ready'.
  app.enableSandbox();
  registerAppScheme();

  let mainWindow: BrowserWindow | null = null;
  let services: ReturnType<typeof createServices> | null = null;
  const open = (): void => {
    mainWindow = createMainWindow(devServerUrl());
    if (services) forwardEvents(services, mainWindow.webContents);
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

  // Cancel running experiments and stop the worker threads before quitting (completed runs are
  // safe on disk; a resume reruns the ones in flight).
  let disposed = false;
  app.on('will-quit', (event) => {
    if (disposed || !services) return;
    event.preventDefault();
    disposed = true;
    void services.dispose().finally(() => app.quit());
  });

  void app.whenReady().then(() => {
    hardenApp();
    // Built layout: out/main/index.js beside out/renderer/.
    handleAppProtocol(path.join(import.meta.dirname, '../renderer'));
    services = createServices();
    registerIpcHandlers(services, devServerUrl());
    installMenu(services, () => mainWindow);
    open();
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) open();
    });
  });
}
