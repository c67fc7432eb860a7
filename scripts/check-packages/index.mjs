#!/usr/bin/env node
// `pnpm check:packages [--dir DIR]... [--skip-build] [--skip-release] [--concurrency N] [--keep]`: proves each
// published package installs alone from its tarball and works (ESM, CJS, types, README example, publint, attw),
// then, for the full set, that changesets version and publish them to a local registry that npm installs from.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { checkChangesets } from './changesets.mjs';
import { checkInConsumerProject } from './consumer-project.mjs';
import { checkDeclaredDependencies } from './dependency-scan.mjs';
import { checkMetadata } from './metadata.mjs';
import { extractRunnableExample } from './readme-example.mjs';
import { printReport } from './report.mjs';
import { runCommand, tail } from './run-command.mjs';
import { runAttw, runPublint } from './tarball-linters.mjs';
import { internalClosure, PUBLISHED_DIRECTORIES, readPackage, workspacePackages } from './workspace.mjs';

const root = path.resolve(import.meta.dirname, '..', '..');
const { values } = parseArgs({
  options: {
    dir: { type: 'string', multiple: true },
    'skip-build': { type: 'boolean', default: false },
    'skip-release': { type: 'boolean', default: false },
    concurrency: { type: 'string', default: '2' },
    keep: { type: 'boolean', default: false },
  },
});

const byName = workspacePackages(root);
const targets = (values.dir ?? PUBLISHED_DIRECTORIES).map((dir) => readPackage(path.resolve(root, dir)));
const workDir = mkdtempSync(path.join(os.tmpdir(), 'gw-check-packages-'));
const started = performance.now();

try {
  const exitCode = await main();
  process.exitCode = exitCode;
} finally {
  if (values.keep) console.log(`kept ${workDir}`);
  else rmSync(workDir, { recursive: true, force: true });
}

async function main() {
  const needed = new Map(targets.map((pkg) => [pkg.manifest.name, pkg]));
  for (const pkg of targets) {
    for (const name of internalClosure(pkg.manifest, byName)) needed.set(name, byName.get(name));
  }
  if (!values['skip-build']) {
    const failure = await build([...needed.values()]);
    if (failure) {
      console.error(`check:packages: the build failed, nothing was checked\n${failure}`);
      return 1;
    }
  }
  const tarballs = new Map();
  const packFailures = [];
  await inParallel([...needed.values()], Number(values.concurrency), async (pkg) => {
    const packed = await pack(pkg);
    if (typeof packed === 'string') tarballs.set(pkg.manifest.name, packed);
    else packFailures.push(`${pkg.manifest.name}: pnpm pack failed\n${packed.error}`);
  });
  if (packFailures.length) {
    console.error(`check:packages: packing failed\n${packFailures.join('\n')}`);
    return 1;
  }
  const results = [];
  await inParallel(targets, Number(values.concurrency), async (pkg) => {
    const result = await checkOne(pkg, tarballs);
    results.push(result);
    const failed = Object.values(result.steps).includes('FAIL');
    console.log(
      `check:packages: ${result.name} ${failed ? 'FAILED' : 'ok'} (${result.seconds.toFixed(1)} s)`,
    );
  });
  results.sort(
    (a, b) =>
      targets.findIndex((t) => t.manifest.name === a.name) -
      targets.findIndex((t) => t.manifest.name === b.name),
  );
  const packagesExitCode = printReport(results, (performance.now() - started) / 1000);
  // The release dry run covers the published set as a whole; a run on chosen folders leaves it out.
  if (values.dir || values['skip-release']) return packagesExitCode;
  return Math.max(packagesExitCode, await releaseDryRun());
}

async function releaseDryRun() {
  const changesetErrors = checkChangesets(root, new Set(byName.keys()));
  for (const error of changesetErrors) console.log(`  ✗ [changesets] ${error}`);
  console.log(
    '\ncheck:packages: release dry run (changeset version, changeset publish to a local registry, npm install)',
  );
  const result = await runCommand('pnpm', ['--filter', '@gw/release-check', 'test:release'], {
    cwd: root,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
    timeoutMs: 900_000,
  });
  const passed = result.code === 0 && changesetErrors.length === 0;
  if (result.code !== 0) console.log(tail(result, 60));
  console.log(`check:packages: release dry run ${passed ? 'passed' : 'FAILED'}`);
  return passed ? 0 : 1;
}

async function build(packages) {
  const workspaceNames = packages.filter((pkg) => byName.get(pkg.manifest.name)?.dir === pkg.dir);
  if (workspaceNames.length) {
    const filters = workspaceNames.map((pkg) => `--filter=${pkg.manifest.name}`);
    const result = await runCommand(
      path.join(root, 'node_modules', '.bin', 'turbo'),
      ['run', 'build', '--concurrency=2', '--output-logs=errors-only', ...filters],
      { cwd: root, timeoutMs: 600_000 },
    );
    if (result.code !== 0) return tail(result, 40);
  }
  for (const pkg of packages.filter((candidate) => !workspaceNames.includes(candidate))) {
    if (!pkg.manifest.scripts?.build) continue;
    const result = await runCommand('npm', ['run', 'build'], { cwd: pkg.dir, timeoutMs: 600_000 });
    if (result.code !== 0) return tail(result, 40);
  }
  return undefined;
}

async function pack(pkg) {
  const destination = path.join(workDir, 'tarballs', pkg.manifest.name.replace(/^@/, '').replace('/', '-'));
  mkdirSync(destination, { recursive: true });
  const result = await runCommand('pnpm', ['pack', '--pack-destination', destination], {
    cwd: pkg.dir,
    timeoutMs: 120_000,
  });
  const file = readdirSync(destination).find((entry) => entry.endsWith('.tgz'));
  if (result.code !== 0 || !file) return { error: tail(result) };
  return path.join(destination, file);
}

async function checkOne(pkg, tarballs) {
  const name = pkg.manifest.name;
  const begun = performance.now();
  const result = { name, steps: {}, errors: [], notes: [], seconds: 0 };
  const report = (step, status, messages = []) => {
    result.steps[step] = status;
    const target = status === 'FAIL' ? result.errors : result.notes;
    target.push(...messages.map((message) => `[${step}] ${message}`));
  };
  const tarball = tarballs.get(name);
  const slug = name.replace(/^@/, '').replace('/', '-');
  const extracted = path.join(workDir, 'extracted', slug);
  mkdirSync(extracted, { recursive: true });
  const untar = await runCommand('tar', ['xzf', tarball, '-C', extracted], {
    cwd: workDir,
    timeoutMs: 60_000,
  });
  const packageDir = path.join(extracted, 'package');
  if (untar.code !== 0 || !existsSync(path.join(packageDir, 'package.json'))) {
    report('metadata', 'FAIL', [`could not unpack ${tarball}: ${tail(untar)}`]);
    return finish();
  }
  const manifest = JSON.parse(readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
  const listing = await runCommand('tar', ['tzf', tarball], { cwd: workDir, timeoutMs: 60_000 });
  const files = new Set(
    listing.stdout
      .split('\n')
      .filter(Boolean)
      .map((file) => file.replace(/^package\//, '')),
  );
  const metadataErrors = checkMetadata(manifest, files);
  report('metadata', metadataErrors.length ? 'FAIL' : 'ok', metadataErrors);
  const dependencies = checkDeclaredDependencies(packageDir, manifest);
  report('deps', dependencies.errors.length ? 'FAIL' : 'ok', dependencies.errors);
  result.notes.push(...dependencies.notes.map((note) => `[deps] ${note}`));

  const readmePath = path.join(packageDir, 'README.md');
  const example = existsSync(readmePath)
    ? extractRunnableExample(readFileSync(readmePath, 'utf8'))
    : undefined;
  const closure = internalClosure(manifest, byName)
    .map((dependency) => tarballs.get(dependency))
    .filter(Boolean);
  await checkInConsumerProject({
    name,
    projectDir: path.join(workDir, 'consumers', slug),
    tarballs: [tarball, ...closure],
    example,
    manifest,
    root,
    report,
  });

  const publint = await runPublint(tarball);
  report('publint', publint.errors.length ? 'FAIL' : 'ok', publint.errors);
  result.notes.push(...publint.notes.map((note) => `[publint] ${note}`));
  const attw = await runAttw(tarball, root);
  report('attw', attw.errors.length ? 'FAIL' : 'ok', attw.errors);
  return finish();

  function finish() {
    result.seconds = (performance.now() - begun) / 1000;
    return result;
  }
}

async function inParallel(items, limit, work) {
  const queue = [...items];
  const workers = Array.from({ length: Math.max(1, Math.min(limit, queue.length)) }, async () => {
    while (queue.length) await work(queue.shift());
  });
  await Promise.all(workers);
}
