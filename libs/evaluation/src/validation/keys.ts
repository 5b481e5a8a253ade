/** Flag keys: URL-safe, so they can appear in paths and topic keys unescaped. */
export const FLAG_KEY = /^[A-Za-z0-9_.~-]{1,128}$/;
/** Segment keys follow flag keys. */
export const SEGMENT_KEY = FLAG_KEY;
/** Variant names. */
export const VARIANT_NAME = /^[A-Za-z0-9_.-]{1,64}$/;
/** Rule ids (room for importer-generated ids such as `<uuid>-0`). */
export const RULE_ID = /^[A-Za-z0-9_.:~-]{1,128}$/;
/** Environment keys. */
export const ENVIRONMENT_KEY = /^[A-Za-z0-9_.-]{1,64}$/;
