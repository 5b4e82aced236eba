/**
 * Preloaded into every local replica (`node --import <this> main.js`): the replica's stdin is a
 * pipe from the platform, which closes when the platform's process ends, however it ends (kill -9
 * included). The replica then shuts down gracefully on its own (SIGTERM to itself) instead of
 * living on as an orphan holding a port and database connections.
 */
const leave = () => {
  process.kill(process.pid, 'SIGTERM');
};
process.stdin.once('end', leave);
process.stdin.once('error', leave);
process.stdin.resume();
// Reading stdin must not by itself keep a replica alive once the server has let go.
(process.stdin as unknown as { unref?: () => void }).unref?.();
