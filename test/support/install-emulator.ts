import { ensureEmulatorInstalled } from '../../scripts/emulator';

/** Jest global setup of the integration project: install the pinned moto server once, before any worker. */
export default function installEmulator(): void {
  ensureEmulatorInstalled((line) => process.stderr.write(`${line}\n`));
}
