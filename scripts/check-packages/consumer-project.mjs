// Installs one tarball alone with npm into an empty project, as a user would, and uses it from ESM, CJS and tsc.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { exampleImports } from './readme-example.mjs';
import { runCommand, tail } from './run-command.mjs';

/** Smoke commands for bins that must answer without starting a server. */
const BIN_SMOKE = { '@gw/cli': { bin: 'gw', args: ['--help'] } };

/** Packages that must not end up installed with a given package. */
const FORBIDDEN_INSTALLS = { '@gw/tokens': ['ioredis'], '@gw/errors': ['ioredis', 'undici'] };

/** The environment without the npm_* settings pnpm exports to scripts, so npm uses its own defaults. */
export function cleanEnvironment() {
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));
}

/**
 * @param {object} input
 * @param {string} input.name package name
 * @param {string} input.projectDir empty folder to create the consumer in
 * @param {string[]} input.tarballs the package's tarball first, then its @gw closure
 * @param {{ language: 'ts' | 'sh', source: string } | undefined} input.example the README's runnable example
 * @param {Record<string, any>} input.manifest the packed package.json
 * @param {string} input.root the monorepo root (for typescript and @types/node)
 * @param {(step: string, status: string, messages?: string[]) => void} input.report
 */
export async function checkInConsumerProject({
  name,
  projectDir,
  tarballs,
  example,
  manifest,
  root,
  report,
}) {
  mkdirSync(projectDir, { recursive: true });
  writeFileSync(
    path.join(projectDir, 'package.json'),
    `${JSON.stringify({ name: 'gw-consumer', version: '1.0.0', private: true, type: 'module' }, null, 2)}\n`,
  );
  const env = cleanEnvironment();
  const closure = new Set(tarballs.map((tarball) => tarball));
  const extras = exampleImports(example).filter((dependency) => !isInClosure(dependency, name, tarballs));
  const install = await runCommand(
    'npm',
    ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', ...closure, ...extras],
    { cwd: projectDir, env, timeoutMs: 300_000 },
  );
  if (install.code !== 0) {
    report('install', 'FAIL', [`npm install failed:\n${tail(install)}`]);
    return;
  }
  const forbidden = (FORBIDDEN_INSTALLS[name] ?? []).filter((dependency) =>
    existsSync(path.join(projectDir, 'node_modules', dependency)),
  );
  report(
    'install',
    forbidden.length ? 'FAIL' : 'ok',
    forbidden.map((dependency) => `installing ${name} pulled in ${dependency}`),
  );

  const esm = await runCommand(
    'node',
    [
      '--input-type=module',
      '-e',
      `const m = await import(${JSON.stringify(name)}); console.log(JSON.stringify(Object.keys(m)));`,
    ],
    { cwd: projectDir, env, timeoutMs: 60_000 },
  );
  const esmKeys = esm.code === 0 ? parseKeys(esm.stdout) : undefined;
  report('esm', esmKeys ? 'ok' : 'FAIL', esmKeys ? [] : [`import(${name}) failed:\n${tail(esm)}`]);

  const cjs = await runCommand(
    'node',
    ['-e', `const m = require(${JSON.stringify(name)}); console.log(JSON.stringify(Object.keys(m)));`],
    { cwd: projectDir, env: { ...env, NODE_NO_WARNINGS: '1' }, timeoutMs: 60_000 },
  );
  const cjsKeys = cjs.code === 0 ? parseKeys(cjs.stdout) : undefined;
  const cjsErrors = cjsKeys ? [] : [`require(${name}) failed:\n${tail(cjs)}`];
  const strip = (keys) =>
    keys
      .filter((key) => key !== '__esModule' && key !== 'module.exports')
      .sort()
      .join(',');
  if (cjsKeys && esmKeys && strip(cjsKeys) !== strip(esmKeys)) {
    cjsErrors.push(`require() exports [${strip(cjsKeys)}] differ from import() exports [${strip(esmKeys)}]`);
  }
  report('cjs', cjsErrors.length ? 'FAIL' : 'ok', cjsErrors);

  if (manifest.bin) report('bin', ...(await checkBins(name, manifest, projectDir, env)));
  else report('bin', '-');

  await checkTypesAndExample({ name, projectDir, example, esmKeys, manifest, root, env, report });
}

function isInClosure(dependency, name, tarballs) {
  if (dependency === name) return true;
  const fileName = `${dependency.replace(/^@/, '').replace('/', '-')}-`;
  return tarballs.some((tarball) => path.basename(tarball).startsWith(fileName));
}

function parseKeys(stdout) {
  const line = stdout.trim().split('\n').at(-1);
  try {
    const keys = JSON.parse(line ?? '');
    return Array.isArray(keys) ? keys : undefined;
  } catch {
    return undefined;
  }
}

async function checkBins(name, manifest, projectDir, env) {
  const errors = [];
  for (const [binName, target] of Object.entries(manifest.bin)) {
    const file = path.join(projectDir, 'node_modules', name, target);
    if (!existsSync(file)) {
      errors.push(`bin ${binName}: ${target} is missing`);
      continue;
    }
    if (!readFileSync(file, 'utf8').startsWith('#!/usr/bin/env node')) {
      errors.push(`bin ${binName}: ${target} does not start with "#!/usr/bin/env node"`);
    }
    if (!existsSync(path.join(projectDir, 'node_modules', '.bin', binName))) {
      errors.push(`bin ${binName}: npm did not link node_modules/.bin/${binName}`);
    }
  }
  const smoke = BIN_SMOKE[name];
  if (smoke && errors.length === 0) {
    const result = await runCommand(path.join(projectDir, 'node_modules', '.bin', smoke.bin), smoke.args, {
      cwd: projectDir,
      env,
      timeoutMs: 60_000,
    });
    if (result.code !== 0)
      errors.push(`${smoke.bin} ${smoke.args.join(' ')} exited ${result.code}:\n${tail(result)}`);
  }
  return [errors.length ? 'FAIL' : 'ok', errors];
}

async function checkTypesAndExample({ name, projectDir, example, esmKeys, manifest, root, env, report }) {
  // Every run-time export must be declared, and every declared value must exist at run time.
  const entries = (esmKeys ?? []).map((key) => `  ${JSON.stringify(key)}: true,`).join('\n');
  writeFileSync(
    path.join(projectDir, 'consumer.ts'),
    `import * as api from ${JSON.stringify(name)};\n\nconst exported: Record<keyof typeof api, true> = {\n${entries}\n};\nconsole.log(Object.keys(exported).length);\n`,
  );
  const include = ['consumer.ts'];
  if (example?.language === 'ts') {
    writeFileSync(path.join(projectDir, 'readme-example.ts'), example.source);
    include.push('readme-example.ts');
  }
  const tsconfig = {
    compilerOptions: {
      target: 'ES2023',
      lib: ['ES2023'],
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      strict: true,
      skipLibCheck: false,
      noEmitOnError: false,
      outDir: 'out',
      rootDir: '.',
      types: ['node'],
      typeRoots: [path.join(root, 'node_modules', '@types')],
    },
    include,
  };
  writeFileSync(path.join(projectDir, 'tsconfig.json'), `${JSON.stringify(tsconfig, null, 2)}\n`);
  const tsc = await runCommand(
    'node',
    [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.'],
    {
      cwd: projectDir,
      env,
      timeoutMs: 180_000,
    },
  );
  const lines = `${tsc.stdout}\n${tsc.stderr}`.split('\n').filter((line) => line.trim());
  const exampleLines = lines.filter((line) => line.startsWith('readme-example.ts'));
  // Types of an optional peer are only there when the user installed it, as those who use that part do.
  const optionalPeers = Object.keys(manifest.peerDependenciesMeta ?? {}).filter(
    (peer) => manifest.peerDependenciesMeta[peer]?.optional === true,
  );
  const isOptionalPeerTypes = (line) =>
    optionalPeers.some((peer) => line.includes(`TS2307: Cannot find module '${peer}'`));
  const optionalPeerLines = lines.filter(isOptionalPeerTypes);
  const typeLines = lines.filter(
    (line) => !line.startsWith('readme-example.ts') && !isOptionalPeerTypes(line),
  );
  if (optionalPeerLines.length) {
    report('types-note', 'note', [
      `declarations name an optional peer; consumers with skipLibCheck: false need it installed:\n${optionalPeerLines.join('\n')}`,
    ]);
  }
  if (!esmKeys)
    report('types', 'FAIL', [
      'skipped the export comparison: the ESM import failed',
      ...typeLines.slice(0, 20),
    ]);
  else if (
    tsc.code !== 0 &&
    (typeLines.length > 0 || (exampleLines.length === 0 && optionalPeerLines.length === 0))
  ) {
    report('types', 'FAIL', [
      `tsc on a consumer (NodeNext, strict) failed:\n${typeLines.slice(0, 20).join('\n')}`,
    ]);
  } else report('types', 'ok');

  if (!example) {
    report('readme', 'FAIL', [
      'README.md has no ```ts runnable (or ```sh runnable) block: mark one self-contained example as runnable',
    ]);
    return;
  }
  if (example.language === 'ts' && tsc.code !== 0 && (exampleLines.length > 0 || typeLines.length > 0)) {
    const detail = exampleLines.length
      ? exampleLines.slice(0, 20).join('\n')
      : 'not compiled: the consumer types failed';
    report('readme', 'FAIL', [`README example does not type-check:\n${detail}`]);
    return;
  }
  const run = await runExample(example, projectDir, env);
  report(
    'readme',
    run.code === 0 ? 'ok' : 'FAIL',
    run.code === 0 ? [] : [`README example exited ${run.code}:\n${tail(run)}`],
  );
}

/** A TypeScript example runs compiled by tsc; a shell example runs in bash with the installed bins on PATH. */
function runExample(example, projectDir, env) {
  if (example.language === 'ts') {
    return runCommand('node', ['out/readme-example.js'], { cwd: projectDir, env, timeoutMs: 60_000 });
  }
  writeFileSync(path.join(projectDir, 'readme-example.sh'), example.source);
  const bins = path.join(projectDir, 'node_modules', '.bin');
  return runCommand('bash', ['-euo', 'pipefail', 'readme-example.sh'], {
    cwd: projectDir,
    env: { ...env, PATH: `${bins}${path.delimiter}${env.PATH ?? ''}` },
    timeoutMs: 60_000,
  });
}
