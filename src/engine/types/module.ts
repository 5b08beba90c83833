/**
 * A module data type value (issue 6). The value itself lives in native memory; this object
 * holds its handle (an index into the addon's value table) and its type. Keys holding it are
 * counted in `refs`: when the last key lets go (DEL, overwrite, expiry, flush...) the engine
 * frees it through the type's free callback, while RENAME/MOVE/SWAPDB, which re-link it,
 * keep it alive.
 */
export class ModuleValue {
  /** Module values not yet released, in every engine (lets flushes skip the scan when 0). */
  static live = 0;
  /** How many keys hold this value (normally 0 or 1). */
  refs = 0;
  /** Set once the native value was freed: the handle is then meaningless. */
  freed = false;

  constructor(
    /** The type's index in the addon's type table. */
    readonly typeId: number,
    /** The type's 9-character name. */
    readonly name: string,
    /** The value's handle in the addon's value table. */
    readonly handle: number,
  ) {
    ModuleValue.live++;
  }

  /** TYPE's answer: the type's 9-character name. */
  typeName(): string {
    return this.name;
  }
}
