/** `npm run audit -- --help`: a thin shell over runCli (lambda/cli/main.ts), which holds all the behaviour. */
import { runCli } from '../lambda/cli/main';

// The lockfile pins SDK releases that still run on Node 20; their notice about Node 22 is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  isTTY: { stdout: Boolean(process.stdout.isTTY), stderr: Boolean(process.stderr.isTTY) },
}).then((code) => {
  process.exitCode = code;
});
