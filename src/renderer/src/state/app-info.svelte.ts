/** What the app knows about itself (name, versions), loaded once from the back end. */
import type { Api, AppInfo } from '../../../shared/api';

export class AppInfoState {
  info = $state<AppInfo | null>(null);
  error = $state<string | null>(null);

  readonly #api: Api;

  constructor(api: Api) {
    this.#api = api;
  }

  get loading(): boolean {
    return this.info === null && this.error === null;
  }

  async load(): Promise<void> {
    const result = await this.#api.appInfo();
    if (result.ok) this.info = result.value;
    else this.error = result.error;
  }
}
