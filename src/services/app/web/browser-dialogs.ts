/**
 * The `Dialogs` of a browser host (`ablate serve`): there are none. The UI knows it from
 * AppInfo.nativeDialogs and offers path fields (checked against the file roots) and browser
 * downloads instead, so these answer only a page that asks anyway, with what to do instead.
 */
import type { Dialogs } from '../app-services.js';

export function browserDialogs(): Dialogs {
  const none = (what: string) => async (): Promise<never> => {
    throw new Error(`ablate serve has no ${what}: ${INSTEAD[what]}`);
  };
  return {
    chooseDataFile: none('file dialog'),
    openExperimentFile: none('open dialog'),
    saveFile: none('save dialog'),
    openFolder: none('file manager'),
  };
}

const INSTEAD: Record<string, string> = {
  'file dialog': "type the file's path (under the store or a --data folder) in the field",
  'open dialog': "type the experiment file's path (under the store or a --data folder)",
  'save dialog': 'the page downloads files through the browser instead',
  'file manager': 'the store is a folder on the server (AppInfo.storePath)',
};
