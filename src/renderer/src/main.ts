/**
 * The renderer's entry. The UI is handed an `Api` and knows nothing of its host: in the desktop
 * app the preload's `window.api` (IPC); served by `ablate serve`, the web transport (host/web-api.ts);
 * in the UI tests an in-memory fake installed as `window.api`. What the host can do (native
 * dialogs or not) the UI learns from the Api itself (AppInfo), never by looking at its host.
 */
import { mount } from 'svelte';
import App from './App.svelte';
import { connectWebApi } from './host/web-api';
import './styles/theme.css';

const target = document.getElementById('app');
if (!target) throw new Error('index.html has no #app element');

async function start(root: HTMLElement): Promise<void> {
  const api = window.api ?? (await connectWebApi());
  mount(App, { target: root, props: { api } });
}

start(target).catch((err: unknown) => {
  target.textContent = `Ablate could not reach its back end: ${err instanceof Error ? err.message : String(err)}`;
});
