#!/usr/bin/env node
import { runCli } from './run-cli.js';

// On Node 20, which the project still supports (package.json engines), the AWS SDK prints a
// multi-line notice about its end of support wherever a client is used: the operator commands,
// `run --adapter aws`, `up`'s endpoint, tearing the live progress. This is the SDK's own switch;
// on 22 and later the notice never fires. Set before any command loads the SDK.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

process.exitCode = await runCli(process.argv.slice(2));
