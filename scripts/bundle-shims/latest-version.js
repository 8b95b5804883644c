// latest-version (package-json, ky: it touches fetch, which loads undici) loads when a generator
// asks npm for a version (addDependencies without versions), which no pyrepo generator does.
import loadLatestVersion from 'lazy:latest-version';
export default async function latestVersion(...args) {
  const { default: real } = await loadLatestVersion();
  return real(...args);
}
