// Prints the per-package result table and the messages behind each failure; returns the exit code.

export const STEPS = [
  'metadata',
  'deps',
  'install',
  'esm',
  'cjs',
  'bin',
  'types',
  'readme',
  'publint',
  'attw',
];

/** @returns {number} 1 when any step failed */
export function printReport(results, totalSeconds) {
  const header = ['package', ...STEPS, 'seconds'];
  const rows = results.map((result) => [
    result.name,
    ...STEPS.map((step) => result.steps[step] ?? 'skip'),
    result.seconds.toFixed(1),
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column].length)),
  );
  const line = (cells) => `| ${cells.map((cell, column) => cell.padEnd(widths[column])).join(' | ')} |`;
  console.log(`\n${line(header)}\n${line(widths.map((width) => '-'.repeat(width)))}`);
  for (const row of rows) console.log(line(row));
  let failed = 0;
  for (const result of results) {
    const failedSteps = STEPS.filter(
      (step) => result.steps[step] === 'FAIL' || result.steps[step] === undefined,
    );
    if (failedSteps.length === 0 && result.notes.length === 0) continue;
    console.log(`\n${result.name}${failedSteps.length ? `: FAILED ${failedSteps.join(', ')}` : ''}`);
    for (const error of result.errors) console.log(`  ✗ ${error.replaceAll('\n', '\n      ')}`);
    for (const note of result.notes) console.log(`  · ${note.replaceAll('\n', '\n      ')}`);
    if (failedSteps.length) failed += 1;
  }
  console.log(
    `\ncheck:packages: ${results.length - failed} passed, ${failed} failed (${totalSeconds.toFixed(0)} s)`,
  );
  return failed ? 1 : 0;
}
