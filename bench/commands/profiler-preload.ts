/**
 * Preloaded into the control-plane child with `node -r` when the benchmark runs with --profile.
 * `--cpu-prof` only writes its profile on a normal exit, and Nest re-raises SIGTERM after its
 * shutdown hooks (and treats SIGUSR2 as a shutdown signal too), so the V8 profiler is driven
 * through the inspector over the IPC channel instead: 'profile:start' starts a profile,
 * 'profile:stop' writes it to $FLAGPOLE_BENCH_PROFILE_DIR/<n>.cpuprofile and answers with the
 * path — so that only a scenario's measured phase is profiled, not start-up or set-up.
 */
import * as fs from 'node:fs';
import * as inspector from 'node:inspector';
import * as path from 'node:path';

const dir = process.env.FLAGPOLE_BENCH_PROFILE_DIR;
if (dir && process.send) {
  const session = new inspector.Session();
  session.connect();
  let n = 0;
  session.post('Profiler.enable', () => session.post('Profiler.setSamplingInterval', { interval: 250 }));
  process.channel?.unref();
  process.on('message', (message: unknown) => {
    if (message === 'profile:start') {
      session.post('Profiler.start', () => process.send?.({ started: true }));
    } else if (message === 'profile:stop') {
      session.post('Profiler.stop', (error, result) => {
        const file = path.join(dir, `${++n}.cpuprofile`);
        fs.writeFileSync(file, JSON.stringify(error ? { error: String(error) } : result.profile));
        process.send?.({ written: file });
      });
    }
  });
}
