/**
 * What an id in a path or body may be: the rule of `assertId` (src/keys.ts), so a crafted id is a 400 before it
 * gets anywhere near a key. `.` and `..` are refused as well: fetch, curl and every URL parser rewrite such a path
 * segment, so what was written under them could never be read back.
 */
export const ID_PATTERN = '^(?!\\.{1,2}$)[A-Za-z0-9_.-]{1,128}$';
export const ID_RULE = "1 to 128 letters, digits, '_', '-' or '.', and not \".\" or \"..\"";
