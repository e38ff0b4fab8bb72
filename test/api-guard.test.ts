/**
 * The Api's payload validation (shared by the IPC handlers and the web server of ablate serve)
 * against hostile payloads: wrong types and counts, huge arrays and strings, deep nesting,
 * prototype-pollution keys, unsafe ids and file names; and the services' rule that data files must
 * have been chosen through the dialog or lie under the file roots (paths outside are refused).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { API_METHODS, checkApiCall } from '../src/services/app/api-guard.js';
import { IPC_CHANNELS } from '../src/shared/ipc-channels.js';
import { testServices } from './helpers/app-services.js';

describe('checkApiCall', () => {
  it('covers every Api method that has an IPC channel', () => {
    expect([...API_METHODS].sort()).toEqual(Object.keys(IPC_CHANNELS).sort());
  });

  it('accepts well-formed calls', () => {
    expect(checkApiCall('appInfo', [])).toBeNull();
    expect(checkApiCall('loadExperiment', ['why-relu-beat-sigmoid-1a2b3c4d'])).toBeNull();
    expect(checkApiCall('runMetrics', ['exp-1', '00-activation=relu-s1', 0])).toBeNull();
    expect(checkApiCall('exportOnnx', ['e', 'r', { probabilities: true, opset: 17 }])).toBeNull();
    expect(checkApiCall('startExperiment', [{ version: 1, name: 'x' }])).toBeNull();
    expect(checkApiCall('renameExperiment', ['e', null])).toBeNull();
    expect(checkApiCall('tagExperiment', ['e', ['a', 'b']])).toBeNull();
    expect(checkApiCall('restoreExperiment', ['20261206T001512123Z.why-relu-1a2b3c4d'])).toBeNull();
  });

  const hostile: Array<[string, string, unknown[], RegExp]> = [
    ['an unknown method', 'eval', [], /unknown method/],
    ['a prototype method name', 'constructor', [], /unknown method/],
    ['arguments that are not a list', 'appInfo', 'x' as unknown as unknown[], /must be a list/],
    ['too many arguments', 'appInfo', [1], /takes 0 argument/],
    ['a number for an id', 'loadExperiment', [42], /must be string/],
    ['a path as an id', 'loadExperiment', ['../../etc'], /must match pattern/],
    ['an id with a slash', 'cancelRun', ['exp', 'a/b'], /must match pattern/],
    ['a huge id', 'loadExperiment', ['a'.repeat(10_000)], /must NOT have more than 200 characters/],
    ['a negative offset', 'runMetrics', ['e', 'r', -1], /must be >= 0/],
    ['a fractional offset', 'runMetrics', ['e', 'r', 1.5], /must be integer/],
    [
      'extra export options',
      'exportOnnx',
      ['e', 'r', { probabilities: true, opset: 17, outPath: '/etc/passwd' }],
      /must NOT have additional properties/,
    ],
    ['an unsupported opset', 'exportOnnx', ['e', 'r', { probabilities: true, opset: 9 }], /must be equal to one of the allowed values/],
    ['a string where a spec object is expected', 'startExperiment', ['{"version":1}'], /must be object/],
    ['a __proto__ key', 'startExperiment', [JSON.parse('{"version":1,"__proto__":{"polluted":true}}')], /forbidden key "__proto__"/],
    ['a nested constructor key', 'validateExperiment', [{ model: { constructor: { prototype: {} } } }], /forbidden key "constructor"/],
    ['a huge array', 'startExperiment', [{ seeds: new Array(200_000).fill(1) }], /list of 200000 items/],
    ['deep nesting', 'previewData', [JSON.parse('{"a":'.repeat(40) + '1' + '}'.repeat(40))], /nested deeper than 24/],
    ['a spec over a megabyte', 'startExperiment', [{ description: 'x'.repeat(2_000_000) }], /bytes of JSON \(at most 1000000\)/],
    ['a file name with a path', 'saveFile', ['../../evil.sh', 'x', 'utf8'], /must match pattern/],
    ['a file name "..', 'saveFile', ['..', 'x', 'utf8'], /must NOT be valid/],
    ['an unknown encoding', 'saveFile', ['a.png', 'x', 'latin1'], /allowed values/],
    ['an unknown data file kind', 'chooseDataFile', ['exe'], /allowed values/],
    ['a path as a trash entry', 'restoreExperiment', ['20261206T001512123Z.x/../../etc'], /must match pattern/],
    ['a trash entry without its time', 'restoreExperiment', ['exp-1234abcd'], /must match pattern|fewer than/],
    ['an empty name', 'renameExperiment', ['e', ''], /must NOT have fewer than 1 characters/],
    ['a huge name', 'renameExperiment', ['e', 'x'.repeat(201)], /must NOT have more than 200 characters/],
    ['tags that are not a list', 'tagExperiment', ['e', 'a,b'], /must be array/],
    ['too many tags', 'tagExperiment', ['e', new Array(21).fill('t')], /must NOT have more than 20 items/],
    ['a string for archived', 'archiveExperiment', ['e', 'yes'], /must be boolean/],
  ];
  for (const [what, method, args, message] of hostile) {
    it(`refuses ${what}`, () => expect(checkApiCall(method, args)).toMatch(message));
  }
});

describe('AppServices refuses data files that were not chosen through the dialog', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'ablate-guard-'));
  const csv = path.join(dir, 'data.csv');
  writeFileSync(csv, 'a,b,label\n1,2,x\n3,4,y\n5,6,x\n7,8,y\n');
  let chosen: string | null = null;
  const services = testServices(path.join(dir, 'store'), { dialogs: { chooseDataFile: async () => chosen } });
  afterAll(() => services.dispose());

  it('rejects a CSV path the user never picked, then accepts it once picked', async () => {
    const spec = { source: 'csv', path: csv, target: 'label' };
    const before = await services.invoke('previewData', [spec]);
    expect(before).toMatchObject({ ok: false });
    expect((before as { error: string }).error).toMatch(/was not chosen in this session/);
    const outside = await services.invoke('previewData', [{ source: 'idx', images: '/etc/passwd', labels: '/etc/shadow' }]);
    expect((outside as { error: string }).error).toMatch(/\/etc\/passwd was not chosen/);
    chosen = csv;
    expect(await services.invoke('chooseDataFile', ['csv'])).toEqual({ ok: true, value: { path: csv, name: 'data.csv' } });
    const after = await services.invoke('previewData', [spec]);
    expect(after).toMatchObject({ ok: true, value: { n: 4, d: 2, classNames: ['x', 'y'] } });
  });

  it('answers hostile calls with an error Result, never a throw', async () => {
    expect(await services.invoke('loadExperiment', ['../../../etc'])).toMatchObject({ ok: false });
    expect(await services.invoke('loadExperiment', ['no-such-experiment'])).toMatchObject({ ok: false });
    expect(await services.invoke('__proto__', [])).toMatchObject({ ok: false, error: expect.stringMatching(/unknown method/) });
  });
});
