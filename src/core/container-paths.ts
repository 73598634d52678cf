/**
 * Where things are inside Liberty containers, in one place: the harness reads these files from
 * checkpoint, restore and measured containers. The layout is the official Open Liberty images'
 * (WLP_OUTPUT_DIR=/opt/ol/wlp/output, LOG_DIR=/logs), which the tool's images (images/liberty,
 * images/open-liberty) share, so users' own images are read at the same places. Real paths only:
 * files are read through /proc/PID/root, where an absolute symlink (/output, /config) would
 * resolve against the host's root.
 */
export const LOG_DIR = '/logs';
export const SERVER_OUTPUT_DIR = '/opt/ol/wlp/output/defaultServer';
/** The server's configuration directory (/config in the official images). */
export const SERVER_CONFIG_DIR = '/opt/ol/wlp/usr/servers/defaultServer';
export const MESSAGES_LOG = `${LOG_DIR}/messages.log`;
/** The server JVM's standard output and error when bin/server starts it in the background (checkpoint). */
export const CONSOLE_LOG = `${LOG_DIR}/console.log`;
export const CHECKPOINT_LOG = `${LOG_DIR}/checkpoint/checkpoint.log`;
export const RESTORE_LOG = `${LOG_DIR}/checkpoint/restore.log`;
/** CRIU's dump statistics, beside checkpoint.log. */
export const DUMP_STATS_FILE = `${LOG_DIR}/checkpoint/stats-dump`;
export const CHECKPOINT_DIR = `${SERVER_OUTPUT_DIR}/workarea/checkpoint`;
/** CRIU's image directory: its presence makes the entrypoint restore. */
export const CHECKPOINT_IMAGE_DIR = `${CHECKPOINT_DIR}/image`;
export const CHECKPOINT_INVENTORY = `${CHECKPOINT_IMAGE_DIR}/inventory.img`;
/** Written by bin/server before `criu restore` (epoch ms). */
export const RESTORE_TIME_FILE = `${CHECKPOINT_DIR}/restoreTime`;
/** CRIU's restore statistics. */
export const RESTORE_STATS_FILE = `${CHECKPOINT_IMAGE_DIR}/stats-restore`;
/** The TCP connections the server held at the dump, listed by the CRIU shim. */
export const HELD_CONNECTIONS_FILE = `${CHECKPOINT_DIR}/ib-established-connections.txt`;

/** Where the trained cache lives in the aotCache image (see images/aot-cache/aot-cache-image.ts). */
export const AOT_CACHE_FILE = '/opt/ib/aot/app.aot';
/** The JVM's -Xlog:aot output of each aotCache start, read back as evidence. */
export const AOT_LOG_FILE = '/tmp/instanton-bench-aot.log';
/**
 * JVM options of every aotCache start (added to the scenario's own JVM_ARGS): AOTMode=on makes
 * the JVM refuse to start when it cannot use the cache, instead of silently starting without it.
 */
export const AOT_RUN_ARGS = `-XX:AOTCache=${AOT_CACHE_FILE} -XX:AOTMode=on -Xlog:aot=info:file=${AOT_LOG_FILE}`;
