// Checks a packed package.json and file list: what npm users get must be complete and honest.

const REQUIRED_FIELDS = ['name', 'version', 'description', 'license', 'repository', 'keywords', 'engines'];

/** Rules that hold for one package only, from the release issue. */
const PACKAGE_POLICIES = {
  '@gw/tokens': (manifest) =>
    ['dependencies', 'optionalDependencies', 'peerDependencies']
      .filter((field) => manifest[field]?.ioredis)
      .map((field) => `@gw/tokens must not pull in ioredis, but its ${field} lists it`),
  '@gw/ratelimit': (manifest) => {
    const errors = [];
    if (manifest.dependencies?.ioredis)
      errors.push('@gw/ratelimit lists ioredis in dependencies; it must be an optional peer');
    if (!manifest.peerDependencies?.ioredis)
      errors.push('@gw/ratelimit must declare ioredis in peerDependencies');
    if (manifest.peerDependenciesMeta?.ioredis?.optional !== true) {
      errors.push('@gw/ratelimit must mark ioredis optional in peerDependenciesMeta');
    }
    return errors;
  },
};

/**
 * @param {Record<string, any>} manifest the package.json inside the tarball
 * @param {Set<string>} files paths inside the tarball, relative to its package/ folder
 * @returns {string[]} errors
 */
export function checkMetadata(manifest, files) {
  const errors = [];
  for (const field of REQUIRED_FIELDS) {
    const value = manifest[field];
    if (value === undefined || (Array.isArray(value) && value.length === 0))
      errors.push(`package.json has no "${field}"`);
  }
  if (manifest.private) errors.push('package.json is private: it cannot be published');
  if (manifest.type !== 'module') errors.push('package.json "type" must be "module" (the build is ESM)');
  if (manifest.sideEffects !== false)
    errors.push('package.json "sideEffects" must be false so bundlers can tree-shake');
  if (!/^>=\s*20(\.\d+)*/.test(manifest.engines?.node ?? '')) {
    errors.push(`engines.node must allow Node 20 (">=20.x"), got ${JSON.stringify(manifest.engines?.node)}`);
  }
  if (!manifest.repository?.directory)
    errors.push('repository.directory is missing (npm links to the package folder)');
  if (manifest.publishConfig?.access !== 'public')
    errors.push('publishConfig.access must be "public" for a scoped package');
  const entryFolder = manifest.exports?.['.']?.import?.replace(/^\.\//, '').split('/')[0];
  if (!Array.isArray(manifest.files) || !manifest.files.includes(entryFolder)) {
    errors.push(`"files" must list the build folder "${entryFolder}"`);
  }
  errors.push(...checkExports(manifest, files));
  errors.push(...checkShippedFiles(manifest, files));
  for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies']) {
    for (const [name, range] of Object.entries(manifest[field] ?? {})) {
      if (/^(workspace|link|file|catalog):/.test(range))
        errors.push(`${field}.${name} is "${range}" in the tarball`);
    }
  }
  errors.push(...(PACKAGE_POLICIES[manifest.name]?.(manifest) ?? []));
  return errors;
}

function checkExports(manifest, files) {
  const errors = [];
  const root = manifest.exports?.['.'];
  if (!root || typeof root !== 'object') return ['exports["."] must be an object with "types" and "import"'];
  const conditions = Object.keys(root);
  if (!root.types || !root.import) errors.push('exports["."] needs both "types" and "import"');
  if (conditions.indexOf('types') > conditions.indexOf('import')) {
    errors.push('exports["."]: "types" must come before "import"');
  }
  if (root.require && !root.types) errors.push('exports["."] has "require" without types');
  for (const [condition, target] of Object.entries(root)) {
    if (typeof target === 'string' && !files.has(target.replace(/^\.\//, ''))) {
      errors.push(`exports["."]["${condition}"] points to ${target}, which is not in the tarball`);
    }
  }
  for (const [name, target] of Object.entries(manifest.bin ?? {})) {
    if (!files.has(target.replace(/^\.\//, '')))
      errors.push(`bin "${name}" points to ${target}, not in the tarball`);
  }
  return errors;
}

function checkShippedFiles(manifest, files) {
  const errors = [];
  for (const file of ['README.md', 'CHANGELOG.md', 'package.json']) {
    if (!files.has(file)) errors.push(`${file} is not in the tarball`);
  }
  const entry = manifest.exports?.['.']?.import?.replace(/^\.\//, '');
  if (entry && !files.has(`${entry}.map`)) errors.push(`no source map ${entry}.map in the tarball`);
  const types = manifest.exports?.['.']?.types?.replace(/^\.\//, '');
  if (types && !files.has(types)) errors.push(`no type declarations ${types} in the tarball`);
  for (const file of files) {
    if (/(^|\/)(test|bench|node_modules|\.turbo)\//.test(file) || /\.tsbuildinfo$/.test(file)) {
      errors.push(`tarball ships ${file}: keep tests, benchmarks and build state out of "files"`);
    }
  }
  return errors;
}
