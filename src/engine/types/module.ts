/** A module data type value: an opaque native pointer tagged with its type (issue 6). */
export class ModuleValue {
  constructor(
    readonly typeId: number,
    readonly name: string,
    readonly handle: number,
  ) {}

  /** TYPE's answer: the type's 9-character name. */
  typeName(): string {
    return this.name;
  }
}
