// The TypeScript declarations: they compile under --strict against a usage example that imports the
// package by its name (through package.json "exports"/"types"), and they declare every export.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as sdk from '../src/switchboard.js';

const root = fileURLToPath(new URL('..', import.meta.url));

test('every runtime export is declared in switchboard.d.ts', () => {
  const dts = readFileSync(new URL('../src/switchboard.d.ts', import.meta.url), 'utf8');
  for (const name of Object.keys(sdk)) {
    assert.match(dts, new RegExp(`export (const|function|class) ${name}\\b`), `${name} is declared`);
  }
});

const tsc = new URL('../node_modules/typescript/bin/tsc', import.meta.url);
test('the declarations compile with tsc --strict against the usage example',
  { skip: existsSync(tsc) ? false : 'typescript not installed (npm ci installs it)', timeout: 120000 }, () => {
    try {
      execFileSync(process.execPath, [fileURLToPath(tsc), '-p', 'test/types'], { cwd: root, encoding: 'utf8', stdio: 'pipe' });
    } catch (e) {
      assert.fail('tsc failed:\n' + e.stdout + e.stderr);
    }
  });
