// Integration tests start a moto server and seed accounts over HTTP: seconds, not milliseconds.
// (Jest ignores `testTimeout` inside a project's config, so it is set here for that project.)
jest.setTimeout(120_000);
