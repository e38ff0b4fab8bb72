/**
 * The application menu: New experiment, Open experiment file, Open store folder, Export, About,
 * plus the standard Edit/View/Window roles. Commands that act on the page are sent to it as
 * `menu` events; the rest run here.
 */
import { app, dialog, Menu, type BrowserWindow, type MenuItemConstructorOptions } from 'electron';
import type { ApiEvent } from '../shared/api.js';
import { EVENT_CHANNEL } from '../shared/ipc-channels.js';
import type { AppServices } from '../services/app/app-services.js';
import { ENGINE_VERSION } from '../engine/index.js';

export function installMenu(services: AppServices, window: () => BrowserWindow | null): void {
  const send = (command: Extract<ApiEvent, { type: 'menu' }>['command']) => {
    const w = window();
    if (w && !w.isDestroyed()) w.webContents.send(EVENT_CHANNEL, { type: 'menu', command } satisfies ApiEvent);
  };
  const about = () =>
    void dialog.showMessageBox({
      type: 'info',
      title: 'About Ablate',
      message: `Ablate ${app.getVersion()}`,
      detail: `A workbench for studying how neural networks learn.\nEngine ${ENGINE_VERSION}, Electron ${process.versions.electron}, Node ${process.versions.node}.`,
    });
  const file: MenuItemConstructorOptions = {
    label: 'File',
    submenu: [
      { label: 'New Experiment', accelerator: 'CmdOrCtrl+N', click: () => send('new-experiment') },
      { label: 'Open Experiment File…', accelerator: 'CmdOrCtrl+O', click: () => send('open-experiment') },
      { label: 'Open Store Folder', click: () => void services.invoke('openStoreFolder', []) },
      { type: 'separator' },
      { label: 'Export…', accelerator: 'CmdOrCtrl+E', click: () => send('export') },
      { type: 'separator' },
      process.platform === 'darwin' ? { role: 'close' } : { role: 'quit' },
    ],
  };
  const template: MenuItemConstructorOptions[] = [
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' } as MenuItemConstructorOptions] : []),
    file,
    { role: 'editMenu' },
    { role: 'viewMenu' },
    { role: 'windowMenu' },
    { role: 'help', submenu: [{ label: 'About Ablate', click: about }] },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
