// The entry point bundled into dist/: exit codes are set by exitCode, so output written to a pipe is flushed first.
import { main } from "./main.js";

process.exitCode = await main(process.argv.slice(2));
