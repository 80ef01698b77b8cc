/** `npm run audit -- --help`: a thin shell over runCli (lambda/cli/main.ts), which holds all the behaviour. */
import { runCli } from '../lambda/cli/main';

runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  isTTY: { stdout: Boolean(process.stdout.isTTY), stderr: Boolean(process.stderr.isTTY) },
}).then((code) => {
  process.exitCode = code;
});
