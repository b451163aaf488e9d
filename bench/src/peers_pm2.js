// bkg-bench peers' PM2 driver: talks to PM2's daemon through PM2's own API (connect, start,
// restart, stop), as the `pm2` command does, and times the calls inside this process so that
// Node.js's start-up is not counted. PM2_HOME names the daemon's folder.
//   node peers_pm2.js lifecycle BIN CYCLES        -> {"start": [ms, ...], "stop": [ms, ...]}
//   node peers_pm2.js start NAME OUT BIN ARGS...  -> "go" right before the call, then {"ms": n}
// (bkg-bench ends the daemon itself, with SIGTERM to the pid in PM2_HOME/pm2.pid.)
'use strict';

const pm2 = require('pm2');

const [command, ...rest] = process.argv.slice(2);
const call = (f, ...args) =>
  new Promise((resolve, reject) => f.call(pm2, ...args, (err, res) => (err ? reject(err) : resolve(res))));
const now = () => Number(process.hrtime.bigint()) / 1e6;

// A binary run as is (no interpreter), never restarted by PM2, its output in one file.
function app(name, bin, args, out) {
  return {
    name, script: bin, args, interpreter: 'none', autorestart: false,
    out_file: out, error_file: out, merge_logs: true,
  };
}

async function main() {
  await call(pm2.connect);
  let result = {};
  switch (command) {
    case 'lifecycle': {
      const [bin, cycles] = rest;
      // Defined once, as bkgd and supervisord know their programs before the first start.
      await call(pm2.start, app('p', bin, ['bare-idle'], '/dev/null'));
      await call(pm2.stop, 'p');
      const start = [];
      const stop = [];
      for (let i = 0; i < Number(cycles); i++) {
        let t = now();
        await call(pm2.restart, 'p');
        start.push(now() - t);
        t = now();
        await call(pm2.stop, 'p');
        stop.push(now() - t);
      }
      await call(pm2.delete, 'p');
      result = { start, stop };
      break;
    }
    case 'start': {
      const [name, out, bin, ...args] = rest;
      process.stdout.write('go\n');
      const t = now();
      await call(pm2.start, app(name, bin, args, out));
      result = { ms: now() - t };
      break;
    }
    default:
      throw new Error(`unknown command ${command}`);
  }
  process.stdout.write(`${JSON.stringify(result)}\n`);
  pm2.disconnect();
}

main().catch((err) => {
  process.stderr.write(`pm2 driver: ${(err && err.stack) || err}\n`);
  process.exit(1);
});
