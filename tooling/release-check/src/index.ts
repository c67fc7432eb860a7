// Public API of @gw/release-check: the local registry the release tests publish to.
export {
  type LocalRegistry,
  type Packument,
  startLocalRegistry,
  type VersionManifest,
} from './local-registry.ts';
