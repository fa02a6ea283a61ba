import { startSandbox } from './sandbox';

startSandbox()
  .then(sandbox => {
    for (const [upstream, url] of Object.entries(sandbox.urls)) {
      process.stdout.write(`sandbox ${upstream.padEnd(8)} ${url}\n`);
    }
    const stop = () => {
      sandbox.stop().then(() => process.exit(0));
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  })
  .catch(error => {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  });
