/**
 * The renderer's entry. The UI is handed an `Api` and knows nothing of its host: here the preload's
 * `window.api` (IPC), in the browser tests a WebSocket client of the same interface.
 */
import { mount } from 'svelte';
import App from './App.svelte';
import './styles/theme.css';

const target = document.getElementById('app');
if (!target) throw new Error('index.html has no #app element');

mount(App, { target, props: { api: window.api } });
