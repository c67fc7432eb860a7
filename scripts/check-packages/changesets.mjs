// Checks every pending changeset parses as changesets reads it, before `changeset version` meets it at release time.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const FRONT_MATTER = /^---\r?\n([\s\S]*?)\r?\n---\r?\n/;
const RELEASE_LINE = /^\s*(['"]?)(@?[\w.-]+(?:\/[\w.-]+)?)\1\s*:\s*(major|minor|patch|none)\s*$/;

/**
 * @param {string} root the monorepo root
 * @param {Set<string>} packageNames names of the workspace's packages
 * @returns {string[]} one message per broken changeset
 */
export function checkChangesets(root, packageNames) {
  const dir = path.join(root, '.changeset');
  if (!existsSync(dir)) return [];
  const errors = [];
  for (const file of readdirSync(dir).filter((entry) => entry.endsWith('.md') && entry !== 'README.md')) {
    const text = readFileSync(path.join(dir, file), 'utf8');
    const match = FRONT_MATTER.exec(text);
    const lines = match?.[1].split('\n').filter((line) => line.trim()) ?? [];
    if (!match || lines.length === 0) {
      errors.push(
        `.changeset/${file}: no front matter ("---", lines like '@gw/router': minor, "---"); a Markdown formatter may have turned it into a heading`,
      );
      continue;
    }
    for (const line of lines) {
      const release = RELEASE_LINE.exec(line);
      if (!release)
        errors.push(
          `.changeset/${file}: cannot read "${line.trim()}" (expected '@gw/name': patch|minor|major)`,
        );
      else if (!packageNames.has(release[2]))
        errors.push(`.changeset/${file}: ${release[2]} is not a package of the workspace`);
    }
  }
  return errors;
}
