/** Liberty message IDs the harness acts on (shared notes, liberty-instanton.md). */
export const MSG_SERVER_READY = 'CWWKF0011I';
export const MSG_APP_STARTED = 'CWWKZ0001I';
export const MSG_FEATURES_INSTALLED = 'CWWKF0012I';
export const MSG_SERVER_LAUNCHED = 'CWWKE0001I';
export const MSG_CHECKPOINT_REQUESTED = 'CWWKC0451I';
export const MSG_RESTORED = 'CWWKC0452I';
export const MSG_RESTORE_FALLBACK_BETA = 'CWWKE0957I';
export const MSG_RESTORE_FALLBACK = 'CWWKE0961I';
export const MSG_RESTORE_FAILED_NO_RECOVERY = 'CWWKE0964E';
export const MSG_CHECKPOINT_FAILED = 'CWWKC0453E';
export const MSG_RESTORE_FAILED_IN_JVM = 'CWWKC0454E';
export const MSG_RESTORE_FAILED_IN_JVM_2 = 'CWWKC0458E';
export const MSG_NO_CHECKPOINT_SUPPORT = 'CWWKC0459E';
export const MSG_FEATURE_NO_CHECKPOINT = 'CWWKC0456E';
/**
 * Feature manager: incompatible features (CWWKF0044E), and then no feature installed at all (CWWKF0046W); a feature not
 * found (CWWKF0001E).
 */
export const MSG_FEATURES_INCOMPATIBLE = 'CWWKF0044E';
export const MSG_NO_FEATURES_INSTALLED = 'CWWKF0046W';
export const MSG_FEATURE_NOT_FOUND = 'CWWKF0001E';
/** "Starting application X" and "Application X failed to start". */
export const MSG_APP_STARTING = 'CWWKZ0018I';
export const MSG_APP_FAILED = 'CWWKZ0002E';
