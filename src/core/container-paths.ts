/**
 * Where things are inside the tool's Liberty containers (images/liberty: WLP_OUTPUT_DIR=/output,
 * LOG_DIR=/logs), in one place: the harness reads these files from checkpoint, restore and
 * measured containers.
 */
export const LOG_DIR = '/logs';
export const SERVER_OUTPUT_DIR = '/output/defaultServer';
export const MESSAGES_LOG = `${LOG_DIR}/messages.log`;
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
